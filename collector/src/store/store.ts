/**
 * The collector's storage port. Every read and write of collected data goes through it; SQL lives
 * only in its implementations. The contract that makes storage exactly-once:
 *
 *   storeBatch(agent, stream, seq, …) stores the samples AND records `seq` as the stream's last
 *   stored sequence number in ONE transaction; a batch with seq ≤ lastSeq is not stored again
 *   ('duplicate'). The caller acknowledges only after storeBatch returned.
 *
 *   storeFrames(frames) is the same for several batches at once (group commit): ONE transaction
 *   stores them all and records every stream's last seq, or stores none; each is acknowledged
 *   only after it returned.
 */
import type { AgentEvent } from '@sigmascope/protocol/events';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import type { BatchFrame } from '@sigmascope/protocol/frames';
import type { Labels } from '@sigmascope/protocol/series';
import type { FrameSeriesCache } from './head/frame-series.ts';
import type { QuantileSketch } from './rollups/quantile-sketch.ts';
import type { Agg, TierName } from './rollups/rollup-tiers.ts';

export interface AgentInfo {
  readonly id: string;
  readonly name: string;
  readonly hostname: string;
  readonly version: string;
  readonly bootId: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly clockSkewMs: number;
  /** Samples stored for this agent, after dedupe. */
  readonly samples: number;
  /** Highest seq stored, over all of the agent's streams. */
  readonly lastSeq: number;
  /** Samples acknowledged but set apart, stamped too far in the future (not in `samples`). */
  readonly quarantinedSamples: number;
  /** Samples acknowledged but not stored because their series were new beyond the series caps (not in `samples`). */
  readonly refusedSamples: number;
  /** Series stored for this agent. */
  readonly series: number;
}

export interface SeriesQuery {
  readonly name: string;
  readonly labels: Labels;
  readonly agent?: string;
  readonly from: number;
  readonly to: number;
  /** At most this many points per series, the newest kept. */
  readonly maxPoints: number;
  /** When set, points are averaged into buckets of this many ms (bucket start as the timestamp). */
  readonly stepMs?: number;
  readonly maxSeries: number;
}

export interface SeriesResult {
  readonly agent: string;
  readonly name: string;
  readonly labels: Labels;
  readonly points: [number, number][];
}

export interface StoredEvent {
  readonly id: number;
  readonly agent: string;
  readonly event: AgentEvent;
  readonly state: 'open' | 'acknowledged' | 'resolved';
}

export type StoreOutcome = 'stored' | 'duplicate';

/** A validated batch frame as it arrived on an agent's connection. */
export interface ReceivedFrame {
  readonly agentId: string;
  readonly stream: string;
  readonly frame: BatchFrame;
  /** The exact bytes `frame` was decoded from: stored as its intake record, decoded again only at replay. */
  readonly bytes: Uint8Array;
  /** The connection's memory of its last dictionary: one per connection, never shared between agents. */
  readonly dictionary: FrameSeriesCache;
  /** The collector's clock when it arrived. */
  readonly receivedAt: number;
  /** Samples of the frame as sent that `frame` no longer holds: stamped too far ahead (see future-samples.ts). */
  readonly future?: readonly FutureSample[];
  /** Samples of the frame as sent that `frame` no longer holds: new series beyond the caps (see series-admission.ts). */
  readonly refusedSamples?: number;
}

/** A sample set apart because its timestamp lies far in the collector's future. */
export interface FutureSample {
  readonly name: string;
  readonly labels: Labels;
  readonly ts: number;
  readonly value: number;
}

/** A quarantined sample as stored, with its agent and when it arrived. */
export interface QuarantinedSample extends FutureSample {
  readonly agent: string;
  readonly receivedAt: number;
}

/** A stored series: the store's id, the agent that sent it, its name and labels. */
export interface SeriesRef {
  readonly id: number;
  readonly agent: string;
  readonly name: string;
  readonly labels: Labels;
}

/** Points of one series, ascending by ts (equal timestamps keep their arrival order). */
export interface Points {
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** The parts' points one after another (not sorted); a single part is returned as it is. */
export function concatPoints(parts: readonly Points[]): Points {
  if (parts.length === 1) return parts[0] as Points;
  let n = 0;
  for (const p of parts) n += p.ts.length;
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  let k = 0;
  for (const p of parts) {
    ts.set(p.ts, k);
    values.set(p.values, k);
    k += p.ts.length;
  }
  return { ts, values };
}

/**
 * Read primitives the query layer plans with. Every read sees every acknowledged sample: chunks,
 * rollups and sketches hold what was flushed, the in-memory head what was not, never both.
 */
export interface TimeSeriesReader {
  /** Series named `name` that `accept` keeps, ordered by agent then labels; at most `limit`. */
  findSeries(name: string, accept: (s: SeriesRef) => boolean, limit: number): { series: SeriesRef[]; truncated: boolean };
  /** Every metric name with at least one series, sorted. */
  metricNames(): string[];
  /** Raw points with from ≤ ts ≤ to. */
  raw(seriesId: number, from: number, to: number): Points;
  /** Aggregates of the tier's buckets whose start lies in [from, to), ascending (finite values only). */
  buckets(seriesId: number, tier: TierName, from: number, to: number): Agg[];
  /** A quantile sketch of the finite values with from ≤ ts < to, from sketches where whole buckets allow. */
  sketch(seriesId: number, from: number, to: number): QuantileSketch;
  /** The newest point by ts, or null when the series has none. */
  latest(seriesId: number): [number, number] | null;
  /** The oldest ts raw points or a tier's buckets are kept for at `now` (retention), so plans know what is gone. */
  keptSince(resolution: TierName | 'raw', now: number): number;
}

export interface Store extends TimeSeriesReader {
  /** Last stored seq of an agent's stream; 0 when none. */
  lastSeq(agentId: string, stream: string): number;
  /** See the module comment. `receivedAt` is the collector's clock. */
  storeBatch(agentId: string, stream: string, seq: number, series: readonly BatchSeries[], events: readonly AgentEvent[], receivedAt: number): StoreOutcome;
  /**
   * Stores several batches in ONE transaction (see the module comment); returns each one's
   * outcome, in order. A batch whose seq is at or below its stream's last stored seq, counting
   * the earlier batches of the same call, is 'duplicate'. Throws when SQLite refuses: then none
   * of them is stored.
   */
  storeFrames(frames: readonly ReceivedFrame[]): StoreOutcome[];
  /** Quarantined samples, newest arrival first (see FutureSample); at most `limit`. */
  quarantined(filter: { agent?: string; limit: number }): QuarantinedSample[];
  /** Records a hello: name, hostname, version, boot id, clock skew. */
  noteAgent(agent: { id: string; name: string; hostname: string; version: string; bootId: string; clockSkewMs: number; seenAt: number }): void;
  agents(): AgentInfo[];
  /** Committed series of `agent`, or of every agent. */
  seriesCount(agent?: string): number;
  /** True when (agent, name, labels) is a committed series. */
  hasSeries(agent: string, name: string, labels: Labels): boolean;
  series(query: SeriesQuery): SeriesResult[];
  events(filter: { from: number; to: number; agent?: string; kind?: AgentEvent['kind']; limit: number }): StoredEvent[];
  /** Sets a violation's state (events of kind `spc` only); null when no violation has that id. */
  setEventState(id: number, state: StoredEvent['state']): StoredEvent | null;
  /**
   * Points with ts > after, ascending: what a reader following a series (the incident detector)
   * has not seen yet. Served from memory alone while every stored point after `after` is still
   * in the head, the usual case for a reader that comes back every few seconds; otherwise it
   * reads chunks too, as `raw` does. Points that arrive later with an older ts are not returned
   * by a later call with a newer `after`.
   */
  pointsAfter(seriesId: number, after: number): Points;
  /** Total samples stored (all agents). */
  sampleCount(): number;
  /** Stored samples that repeat another's (series, ts, value bits): 0 unless something stored twice. */
  duplicateRowCount(): number;
  close(): void;
}
