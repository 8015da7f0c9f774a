/**
 * `WS /ingest`: agents stream batches here. The only collector file that imports ws.
 *
 * Order of checks: path, client certificate with mTLS, token (before the upgrade, upgrade-gate.ts:
 * 404, 401, or 429 after repeated failures; the token again every 2 s while open,
 * revocation-watch.ts) → connection cap (503; a second connection of an agent replaces its
 * first, connection-caps.ts) → size (ws
 * maxPayload: close 1009) → decode as hostile bytes (FrameDecoder: one per connection) → schema →
 * hello first → new series beyond the caps refused (series-admission.ts) → far-future samples
 * set apart → store + ack.
 * A bad frame is answered with an error frame and counted; the connection lives on.
 *
 * Group commit: batches are queued as they arrive and committed together, in arrival order, in
 * ONE store transaction: right after the event loop has read what the sockets hold
 * (setImmediate), or, when the previous commit was less than GROUP_COMMIT_MS ago and fewer than
 * EAGER_GROUP_FRAMES wait, when that time is up. Each is acknowledged only after that commit, one
 * ack per frame as before, but a connection's acks of one group leave in one socket write (the
 * socket is corked while they are queued).
 *
 *   sockets ─ message ─▶ decode ─▶ queue ┐                                  ┌─▶ acks, one write per connection
 *   sockets ─ message ─▶ decode ─▶ queue ┼─ setImmediate / ≤ 10 ms ─▶ storeFrames (ONE transaction)
 *   sockets ─ message ─▶ decode ─▶ queue ┘                                  └─▶ live feed
 *
 * When the group's transaction fails, its frames are stored one by one; a connection whose frame
 * still fails is closed (1001) and nothing after that frame is stored or acknowledged, so the
 * agent resends from there.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import { batchSampleCount, readBatch } from '@sigmascope/protocol/batch';
import { encodeFrame } from '@sigmascope/protocol/codec';
import { FrameDecoder } from '@sigmascope/protocol/frame-decoder';
import { CloseCode, MAX_FRAME_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, RejectCode, SYNC_PROTOCOL_VERSION } from '@sigmascope/protocol/frames';
import type { BatchFrame, CollectorFrame, HelloFrame } from '@sigmascope/protocol/frames';
import type { Logger } from '@sigmascope/protocol/log';
import { refuseUpgrade } from '@sigmascope/web/server/server-sockets';
import type { AuthFailures } from '../auth/auth-failures.ts';
import type { TokenStore } from '../auth/token-store.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import { FrameSeriesCache } from '../store/head/frame-series.ts';
import type { ReceivedFrame, Store, StoreOutcome } from '../store/store.ts';
import { DEFAULT_FUTURE_TOLERANCE_MS, splitFutureSamples } from './future-samples.ts';
import type { IngestStats } from './ingest-stats.ts';
import { ConnectionCaps, DEFAULT_MAX_CONNECTIONS } from './connection-caps.ts';
import { checkUpgrade } from './upgrade-gate.ts';
import { RevocationWatch } from './revocation-watch.ts';
import { AdmissionMemory, DEFAULT_SERIES_LIMITS, SeriesAdmission } from './series-admission.ts';
import type { SeriesLimits } from './series-admission.ts';
import type { AgentSync } from '../sync/agent-sync.ts';

const HELLO_TIMEOUT_MS = 10_000;
/** Frames per group commit at most; more wait for the next one (a turn of the event loop later). */
const MAX_GROUP_FRAMES = 2_048;
/**
 * Group commit timing: a commit follows the previous one by at least this long unless
 * EAGER_GROUP_FRAMES are queued. Many agents sending one frame per tick each then share a
 * transaction (and its WAL pages) instead of paying one each; a frame waits at most this long.
 */
const GROUP_COMMIT_MS = 10;
const EAGER_GROUP_FRAMES = 64;
/** The collector pings every agent this often and drops a link that did not answer the previous ping. */
const PING_INTERVAL_MS = 15_000;

export interface IngestDeps {
  readonly store: Store;
  readonly tokens: TokenStore;
  readonly failures: AuthFailures;
  readonly stats: IngestStats;
  readonly live: LiveFeed;
  readonly log: Logger;
  readonly clock?: () => number;
  /** Samples stamped more than this far ahead of the collector's clock are quarantined (future-samples.ts). */
  readonly futureToleranceMs?: number;
  /** With mTLS: why an upgrade's client certificate is refused, or null (collector/src/tls/server-tls.ts). */
  readonly clientCertRefusal?: (req: IncomingMessage) => string | null;
  /** Open connections at most (connection-caps.ts); one per agent regardless. */
  readonly maxConnections?: number;
  /** Series kept at most per agent and in all; new ones beyond are refused and counted (series-admission.ts). */
  readonly seriesLimits?: SeriesLimits;
  /** Sends sync frames to links of protocol ≥ 2 after their welcome (collector/src/sync/agent-sync.ts). */
  readonly sync?: AgentSync;
}

/** An agent's buffer as it last reported it. */
export interface AgentBacklog {
  readonly frames: number;
  readonly bytes: number;
  readonly droppedSamples: number;
  /** Collector time of the report (ms). */
  readonly at: number;
}

interface Session {
  readonly agentId: string;
  /** The hash of the token the connection was opened with, watched for revocation. */
  readonly tokenHash: string;
  stream: string | null;
  /** Decodes this connection's frames, reusing a batch dictionary its agent repeats. */
  readonly decoder: FrameDecoder;
  readonly dictionary: FrameSeriesCache;
  /** Dictionaries of this connection whose series are all stored (series-admission.ts). */
  readonly admission: AdmissionMemory;
  /** The connection's socket, corked while a group's acks are written to it. */
  readonly socket: Duplex;
  /** A frame of this connection failed to store, or its token was revoked: nothing later of it is stored or acknowledged. */
  failed: boolean;
  /** Unregisters the link from sync frames; set after a welcome of protocol ≥ 2. */
  detachSync: (() => void) | null;
}

interface Queued {
  readonly ws: WebSocket;
  readonly session: Session;
  readonly received: ReceivedFrame;
  /** New series this frame reserved under the caps, settled after its commit. */
  readonly reservation: readonly string[];
  readonly refusedSeries: number;
}

export class IngestServer {
  private readonly d: IngestDeps;
  private readonly wss: WebSocketServer;
  private readonly clock: () => number;
  private readonly futureToleranceMs: number;
  private readonly byStream = new Map<string, WebSocket>();
  private readonly openByAgent = new Map<string, number>();
  private readonly backlogs = new Map<string, AgentBacklog>();
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly pinger: NodeJS.Timeout;
  private readonly caps: ConnectionCaps<WebSocket>;
  private readonly revocations: RevocationWatch;
  private readonly admission: SeriesAdmission;
  private queue: Queued[] = [];
  /** A commit is scheduled: 'now' (setImmediate) or a timer for the end of the linger. */
  private commitPending: 'now' | NodeJS.Timeout | null = null;
  private lastCommitAt = Number.NEGATIVE_INFINITY;

  constructor(deps: IngestDeps) {
    this.d = deps;
    this.clock = deps.clock ?? Date.now;
    this.futureToleranceMs = deps.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS;
    this.caps = new ConnectionCaps(deps.maxConnections ?? DEFAULT_MAX_CONNECTIONS, CloseCode.replaced);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: true });
    // Half-open links (an agent host that vanished) would otherwise hold a socket until TCP gives up.
    this.pinger = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (this.alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        this.alive.set(ws, false);
        ws.ping();
      }
    }, PING_INTERVAL_MS);
    this.pinger.unref();
    this.revocations = new RevocationWatch(deps.tokens);
    const limits = deps.seriesLimits ?? DEFAULT_SERIES_LIMITS;
    this.admission = new SeriesAdmission(limits, deps.store);
    deps.stats.seriesMaxPerAgent = limits.maxPerAgent;
    deps.stats.seriesMaxTotal = limits.maxTotal;
  }

  /** The http server's `upgrade` handler. Refuses before the upgrade unless the token is an agent's. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const verdict = checkUpgrade(req, this.d.tokens, this.d.failures, this.d.stats, this.d.clientCertRefusal);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.status, verdict.text, verdict.headers);
    const { agentId, tokenHash } = verdict;
    if (!this.caps.admit(agentId)) {
      this.d.stats.authRefused.connection_cap = (this.d.stats.authRefused.connection_cap ?? 0) + 1;
      return refuseUpgrade(socket, 503, 'Service Unavailable: connection limit reached');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, { agentId, tokenHash, stream: null, decoder: new FrameDecoder(), dictionary: new FrameSeriesCache(), admission: new AdmissionMemory(), socket, failed: false, detachSync: null }));
  }

  private onConnection(ws: WebSocket, session: Session): void {
    const s = this.d.stats;
    s.connectionsOpen++;
    s.connectionsTotal++;
    this.openByAgent.set(session.agentId, (this.openByAgent.get(session.agentId) ?? 0) + 1);
    this.caps.opened(session.agentId, ws);
    const helloTimer = setTimeout(() => ws.close(CloseCode.helloTimeout, 'no hello'), HELLO_TIMEOUT_MS);
    const unwatch = this.revocations.watch(session.tokenHash, () => {
      // Nothing that arrives from now on is stored or acknowledged; the agent keeps it.
      session.failed = true;
      s.connectionsRevoked++;
      this.d.log.warn('token revoked; closing its connection', { agent: session.agentId });
      ws.close(CloseCode.revoked, 'token revoked');
    });
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.alive.set(ws, true);
      if (!isBinary) return this.reject(ws, RejectCode.malformed, 'text messages are not frames');
      this.onMessage(ws, session, data, helloTimer);
    });
    ws.on('error', (err) => this.d.log.debug('ingest socket error', { agent: session.agentId, error: err }));
    ws.on('close', () => {
      clearTimeout(helloTimer);
      this.caps.closed(session.agentId, ws);
      unwatch();
      session.detachSync?.();
      s.connectionsOpen--;
      const open = (this.openByAgent.get(session.agentId) ?? 1) - 1;
      if (open > 0) this.openByAgent.set(session.agentId, open);
      else this.openByAgent.delete(session.agentId);
      if (session.stream !== null && this.byStream.get(`${session.agentId}/${session.stream}`) === ws) this.byStream.delete(`${session.agentId}/${session.stream}`);
    });
  }

  private onMessage(ws: WebSocket, session: Session, data: Buffer, helloTimer: NodeJS.Timeout): void {
    const decoded = session.decoder.decode(data);
    if (!decoded.ok) return this.reject(ws, decoded.code, decoded.detail, decoded.seq);
    const frame = decoded.frame;
    if (frame.t === 'hello') {
      clearTimeout(helloTimer);
      return this.onHello(ws, session, frame);
    }
    if (frame.t === 'status') {
      this.backlogs.set(session.agentId, { frames: frame.bufferFrames, bytes: frame.bufferBytes, droppedSamples: frame.droppedSamples, at: this.clock() });
      return;
    }
    if (frame.t !== 'batch') return this.reject(ws, RejectCode.unexpectedFrame, `agents do not send ${frame.t} frames`);
    if (session.stream === null) return this.reject(ws, RejectCode.unexpectedFrame, 'hello must come first', frame.seq);
    if (session.failed) return;
    const receivedAt = this.clock();
    const reservation: string[] = [];
    const admitted = this.admission.admit(session.agentId, frame, session.admission, reservation);
    const kept = admitted?.frame ?? frame;
    const received: ReceivedFrame = {
      agentId: session.agentId, stream: session.stream, frame: kept, bytes: admitted?.bytes ?? data, dictionary: session.dictionary, receivedAt,
      ...(admitted !== null ? { refusedSamples: admitted.refusedSamples } : {}),
    };
    const split = splitFutureSamples(kept, receivedAt + this.futureToleranceMs);
    this.queue.push({ ws, session, received: split === null ? received : { ...received, frame: split.frame, bytes: split.bytes, future: split.future }, reservation, refusedSeries: admitted?.refusedSeries ?? 0 });
    this.scheduleCommit();
  }

  private scheduleCommit(): void {
    if (this.commitPending === 'now' || this.queue.length === 0) return;
    const wait = this.lastCommitAt + GROUP_COMMIT_MS - performance.now();
    if (wait > 0 && this.queue.length < EAGER_GROUP_FRAMES) {
      if (this.commitPending === null) this.commitPending = setTimeout(() => this.commitQueued(), wait);
      return;
    }
    if (this.commitPending !== null) clearTimeout(this.commitPending);
    this.commitPending = 'now';
    setImmediate(() => this.commitQueued());
  }

  private onHello(ws: WebSocket, session: Session, hello: HelloFrame): void {
    if (hello.proto < MIN_PROTOCOL_VERSION || hello.proto > PROTOCOL_VERSION) {
      this.reject(ws, RejectCode.unsupportedVersion, `protocol ${hello.proto} is not in [${MIN_PROTOCOL_VERSION}, ${PROTOCOL_VERSION}]`);
      ws.close(CloseCode.unsupportedVersion, 'unsupported protocol version');
      return;
    }
    const now = this.clock();
    session.stream = hello.stream;
    const key = `${session.agentId}/${hello.stream}`;
    const previous = this.byStream.get(key);
    if (previous !== undefined && previous !== ws) previous.close(CloseCode.replaced, 'replaced by a newer connection');
    this.byStream.set(key, ws);
    this.d.store.noteAgent({ id: session.agentId, name: session.agentId, hostname: hello.hostname, version: hello.agentVersion, bootId: hello.bootId, clockSkewMs: hello.clock - now, seenAt: now });
    // The link speaks the older of the two versions: an agent of version 1 never receives a frame it does not know.
    const proto = Math.min(hello.proto, PROTOCOL_VERSION);
    this.send(ws, { t: 'welcome', proto, agentId: session.agentId, lastSeq: this.d.store.lastSeq(session.agentId, hello.stream), clock: now });
    session.detachSync?.();
    session.detachSync = proto >= SYNC_PROTOCOL_VERSION && this.d.sync !== undefined ? this.d.sync.attach(session.agentId, (f) => this.send(ws, f)) : null;
  }

  /** Commits the queued batches as one group, then acknowledges them (see the module comment). */
  private commitQueued(): void {
    if (this.commitPending !== null && this.commitPending !== 'now') clearTimeout(this.commitPending);
    this.commitPending = null;
    const taken = this.queue.length <= MAX_GROUP_FRAMES ? this.queue : this.queue.slice(0, MAX_GROUP_FRAMES);
    this.queue = taken === this.queue ? [] : this.queue.slice(MAX_GROUP_FRAMES);
    // Frames of a connection that failed or was revoked meanwhile are neither stored nor acknowledged.
    const group = taken.filter((q) => !q.session.failed);
    if (group.length > 0) this.commitGroup(group);
    // Committed or not, the store now answers for the series these frames reserved.
    for (const q of taken) this.admission.settle(q.session.agentId, q.reservation);
    this.scheduleCommit();
  }

  private commitGroup(group: readonly Queued[]): void {
    this.lastCommitAt = performance.now();
    let outcomes: (StoreOutcome | null)[];
    try {
      outcomes = this.d.store.storeFrames(group.map((q) => q.received));
      this.d.stats.commits++;
      this.d.stats.storeRefusing = null;
    } catch (err) {
      this.d.stats.commitFailures++;
      this.d.log.warn('group commit failed; storing its frames one by one', { frames: group.length, error: err });
      outcomes = group.map((q) => this.storeAlone(q));
    }
    this.acknowledge(group, outcomes);
  }

  /** One frame in its own transaction, after its group's failed; null when it was not stored. */
  private storeAlone(q: Queued): StoreOutcome | null {
    if (q.session.failed) return null;
    try {
      const outcome = this.d.store.storeFrames([q.received])[0] as StoreOutcome;
      this.d.stats.commits++;
      this.d.stats.storeRefusing = null;
      return outcome;
    } catch (err) {
      // Not stored and not acked: the agent keeps the frame and sends it again after reconnecting.
      // Until a commit succeeds again the collector reports itself not ready (a full disk, say).
      this.d.stats.commitFailures++;
      this.d.stats.storeRefusing = err instanceof Error ? err.message : String(err);
      this.d.log.error('store failed; closing the connection so the agent resends', { agent: q.session.agentId, seq: q.received.frame.seq, error: err });
      q.session.failed = true;
      q.ws.close(CloseCode.goingAway, 'store unavailable');
      return null;
    }
  }

  /** Counts the group, feeds the live view, and acknowledges each stored or duplicate frame in order. */
  private acknowledge(group: readonly Queued[], outcomes: readonly (StoreOutcome | null)[]): void {
    const s = this.d.stats;
    const corked = new Set<Duplex>();
    for (let i = 0; i < group.length; i++) {
      const outcome = outcomes[i];
      if (outcome === null || outcome === undefined) continue;
      const { ws, session, received } = group[i] as Queued;
      const { frame } = received;
      const samples = batchSampleCount(frame);
      if (!corked.has(session.socket)) {
        session.socket.cork();
        corked.add(session.socket);
      }
      if (outcome === 'duplicate') {
        s.framesDuplicate++;
        s.samplesDuplicate += samples;
        this.send(ws, { t: 'ack', seq: frame.seq, dup: true });
        continue;
      }
      s.framesStored++;
      s.samplesStored += samples;
      s.samplesQuarantined += received.future?.length ?? 0;
      s.samplesRefused += received.refusedSamples ?? 0;
      s.seriesRefused += group[i]?.refusedSeries ?? 0;
      this.send(ws, { t: 'ack', seq: frame.seq });
      if (this.d.live.watching) this.d.live.push(session.agentId, readBatch(frame), frame.ev);
    }
    for (const socket of corked) socket.uncork();
  }

  private reject(ws: WebSocket, code: RejectCode, detail: string, seq?: number): void {
    this.d.stats.framesRejected[code] = (this.d.stats.framesRejected[code] ?? 0) + 1;
    this.send(ws, seq === undefined ? { t: 'error', code, detail: detail.slice(0, 512) } : { t: 'error', code, detail: detail.slice(0, 512), seq });
  }

  private send(ws: WebSocket, frame: CollectorFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(frame));
  }

  /** The last buffer depth each agent reported (status frames), by agent id. */
  agentBacklogs(): ReadonlyMap<string, AgentBacklog> {
    return this.backlogs;
  }

  /** Ids of agents with at least one open connection. */
  connectedAgents(): ReadonlySet<string> {
    return new Set(this.openByAgent.keys());
  }

  /** Closes every agent connection (1001) and the WebSocket server. */
  close(): Promise<void> {
    clearInterval(this.pinger);
    this.revocations.stop();
    // What arrived is stored and acknowledged before the connections close.
    while (this.queue.length > 0) this.commitQueued();
    for (const ws of this.wss.clients) ws.close(CloseCode.goingAway, 'collector stopping');
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        for (const ws of this.wss.clients) ws.terminate();
        resolve();
      }, 1_000);
      this.wss.close(() => (clearTimeout(t), resolve()));
    });
  }
}


