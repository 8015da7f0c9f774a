/**
 * The wire contract between agent and collector: WebSocket binary frames, each one MessagePack
 * message that decodes on its own. docs/protocol.md describes every frame and code.
 *
 *   agent                                   collector
 *     │── upgrade, Authorization: Bearer ──▶│  (401 before the upgrade on a bad token)
 *     │── hello ───────────────────────────▶│
 *     │◀──────────────── welcome {lastSeq} ─│  last batch stored for this agent
 *     │── batch seq=lastSeq+1 … ───────────▶│  store + record seq in one transaction
 *     │◀────────────────────── ack {seq} ───│  only after the commit; a re-sent batch is acked, not stored
 *     │◀───────────── error {code, seq?} ───│  a rejected frame; the connection lives on
 *     │◀──── sync {violations, baselines} ──│  proto ≥ 2 only: after welcome, then on every change
 */
import type { AgentEvent } from './events.ts';

/**
 * Current protocol version; a collector accepts hello.proto in [MIN_PROTOCOL_VERSION, PROTOCOL_VERSION]
 * and speaks min(hello.proto, PROTOCOL_VERSION) on that connection (welcome.proto says which).
 */
export const PROTOCOL_VERSION = 2;
export const MIN_PROTOCOL_VERSION = 1;
/** The first version whose agents take `sync` frames: a connection below it never receives one. */
export const SYNC_PROTOCOL_VERSION = 2;

/** The collector never accepts a WebSocket message larger than this (ws maxPayload; close 1009). */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** The agent seals a batch before it grows past this many encoded bytes. */
export const TARGET_FRAME_BYTES = 64 * 1024;

/** First message on a connection, agent → collector. Identity comes from the token, not from here. */
export interface HelloFrame {
  readonly t: 'hello';
  readonly proto: number;
  readonly agentVersion: string;
  readonly bootId: string;
  /**
   * The agent's data-directory id: sequence numbers count within one stream. A wiped data dir
   * starts a new stream at seq 1 instead of colliding with numbers the collector already has.
   */
  readonly stream: string;
  readonly hostname: string;
  /** The agent's wall clock at send time (ms): the collector derives clock skew from it. */
  readonly clock: number;
}

/** Answer to hello: where to resume this stream. `lastSeq` is 0 when nothing was stored yet. */
export interface WelcomeFrame {
  readonly t: 'welcome';
  readonly proto: number;
  readonly agentId: string;
  readonly lastSeq: number;
  readonly clock: number;
}

/**
 * A batch of samples in columnar form, so that a frame costs a few bytes per sample:
 *
 *   strs  this batch's strings    ["GPU-…", …]        index i < S: static-strings.ts entry i; i ≥ S: strs[i − S]
 *   ls    label sets              [[41, 87], …]        flat [keyIdx, valueIdx, …] string indices
 *   sr    series                  [0, 0, …]            flat [nameIdx, labelSetIdx] pairs
 *   n     samples per series      [2, …]               in the order of sr
 *   dt    ms after t0 per sample  [0, 500, …]          grouped by series, in the order of sr
 *   v     values                  Float64 little-endian bytes, one per sample, same order
 *   ev    events
 */
export interface BatchFrame {
  readonly t: 'batch';
  readonly seq: number;
  readonly t0: number;
  readonly strs: readonly string[];
  readonly ls: readonly (readonly number[])[];
  readonly sr: readonly number[];
  readonly n: readonly number[];
  readonly dt: readonly number[];
  readonly v: Uint8Array;
  readonly ev: readonly AgentEvent[];
}

/**
 * The agent's buffer as it stands, every few seconds on a live connection, so the fleet view can
 * show each host's backlog. Not stored and not acknowledged; a lost one is simply replaced.
 */
export interface StatusFrame {
  readonly t: 'status';
  readonly clock: number;
  readonly bufferFrames: number;
  readonly bufferBytes: number;
  readonly droppedSamples: number;
}

/** Batch `seq` is durably stored (or had been already: `dup`). */
export interface AckFrame {
  readonly t: 'ack';
  readonly seq: number;
  readonly dup?: boolean;
}

/**
 * A frame was rejected. With `seq`, the batch of that number will never be accepted as sent
 * (the agent drops it and counts it); without, the rejection concerns the connection.
 */
export interface ErrorFrame {
  readonly t: 'error';
  readonly code: RejectCode;
  readonly detail: string;
  readonly seq?: number;
}

/** A violation's state as the collector's operators set it (POST /api/v1/violations/:id). */
export type ViolationState = 'open' | 'acknowledged' | 'resolved';
export const VIOLATION_STATES: readonly ViolationState[] = ['open', 'acknowledged', 'resolved'];

/**
 * One violation the agent raised, named by what the agent knows of it (its SPC event): the series
 * key (`name{label="v",…}`), the rule and the event's timestamp; and the state the collector holds.
 */
export interface SyncedViolation {
  readonly key: string;
  readonly rule: string;
  readonly ts: number;
  readonly state: ViolationState;
}

/** The latest re-baseline of one of the agent's series on the collector (collector clock, ms). */
export interface SyncedBaseline {
  readonly key: string;
  readonly at: number;
}

/**
 * What the collector holds for this agent beyond samples, collector → agent, only on connections
 * of protocol ≥ SYNC_PROTOCOL_VERSION: right after welcome, the agent's recent violations and its
 * latest re-baselines (so an agent that was away catches up); then one entry per change as it is
 * made. Applying one is idempotent: the same frame twice changes nothing.
 */
export interface SyncFrame {
  readonly t: 'sync';
  readonly violations: readonly SyncedViolation[];
  readonly baselines: readonly SyncedBaseline[];
}

/** Entries of one sync frame at most (each list); the collector sends the newest. */
export const SYNC_LIMITS = { maxViolations: 1_000, maxBaselines: 1_000, maxKeyLength: 1_024 } as const;

export type AgentFrame = HelloFrame | BatchFrame | StatusFrame;
export type CollectorFrame = WelcomeFrame | AckFrame | ErrorFrame | SyncFrame;
export type Frame = AgentFrame | CollectorFrame;

/** Why a frame was rejected: stable codes, counted per code by the collector. */
export const RejectCode = {
  malformed: 'malformed',
  tooLarge: 'too_large',
  tooDeep: 'too_deep',
  extensionType: 'extension_type',
  schema: 'schema',
  nonFiniteValue: 'non_finite_value',
  unsupportedVersion: 'unsupported_version',
  unexpectedFrame: 'unexpected_frame',
  futureTimestamp: 'future_timestamp',
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** WebSocket close codes used beyond the standard ones (1000 normal, 1001 going away, 1009 too big). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  tooBig: 1009,
  protocolError: 4000,
  unsupportedVersion: 4001,
  helloTimeout: 4002,
  replaced: 4003,
  revoked: 4004,
} as const;
