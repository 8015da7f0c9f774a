/**
 * Ships buffered frames to the collector over one WebSocket: the only agent file that imports ws.
 *
 *   connect ─▶ hello ─▶ welcome{lastSeq} ─▶ ack buffer ≤ lastSeq ─▶ send lastSeq+1 … (≤ window in flight)
 *      ▲                                                               │ ack{seq} → buffer.ack(seq), send more
 *      └──── full-jitter backoff (1 s → 30 s) ◀── close / error / no pong within the ping timeout
 *                                                 / frames in flight and no ack within the ack timeout
 *
 * The ack timeout catches a collector that keeps the link alive (it answers pings) but stores
 * nothing: without it the agent would stay "connected" for ever while its buffer fills.
 *
 * Delivery is at-least-once: after any reconnect the collector says where it stands and the
 * uplink resends from there; the collector ignores what it already stored.
 *
 * Versions: the hello offers PROTOCOL_VERSION; a collector older than that refuses it (4001), and
 * the next attempt, at once, offers MIN_PROTOCOL_VERSION; a later reconnect offers the current one
 * again (the collector may have been upgraded). On a protocol ≥ 2 link the collector also sends
 * `sync` frames (violation states, re-baselines), handed to `onSync`.
 */
import WebSocket from 'ws';
import { decodeFrame, encodeFrame } from '@sigmascope/protocol/codec';
import { CloseCode, MAX_FRAME_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, RejectCode } from '@sigmascope/protocol/frames';
import type { CollectorFrame, HelloFrame, SyncFrame } from '@sigmascope/protocol/frames';
import type { Logger } from '@sigmascope/protocol/log';
import type { FrameBuffer } from '../buffer/frame-buffer.ts';
import { fullJitterDelay } from './backoff.ts';
import { describeConnectError } from './uplink-tls.ts';
import type { UplinkTlsOptions } from './uplink-tls.ts';
import { isLoopbackHost } from '@sigmascope/protocol/loopback';

export type UplinkState = 'connecting' | 'connected' | 'disconnected' | 'disabled';

export interface UplinkOptions {
  readonly url: string;
  readonly token: string;
  /** Tokens to offer, read at each connect (a rotation's new and old, token-file.ts); default [token]. On 401 the next one is tried. */
  readonly tokens?: () => readonly string[];
  readonly buffer: FrameBuffer;
  /** The hello's fields but the stream, which is the buffer's (FrameBuffer.stream()). */
  readonly hello: () => Omit<HelloFrame, 't' | 'proto' | 'stream'>;
  readonly log: Logger;
  /** Frames sent and not yet acknowledged, at most. */
  readonly window: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly pingIntervalMs: number;
  /** Without a pong (or any message) for this long, the link is half-open: terminate and reconnect. */
  readonly pingTimeoutMs: number;
  /** With frames in flight and no ack for this long, the collector is stuck: terminate and reconnect. */
  readonly ackTimeoutMs: number;
  /** CA, client certificate and key for wss:// (uplink-tls.ts); none: Node's trusted CAs. */
  readonly tls?: UplinkTlsOptions;
  /** What the collector holds for this agent (protocol ≥ 2): violation states and re-baselines. */
  readonly onSync?: (frame: SyncFrame) => void;
}

export interface UplinkStatus {
  readonly url: string;
  readonly state: UplinkState;
  readonly lastError: string | null;
  readonly connectedSince: number | null;
  readonly connects: number;
  readonly lastAckAt: number | null;
  readonly lastAckedSeq: number;
  readonly framesSent: number;
  /** Frames sent again after a reconnect (the collector acks them as duplicates if it had them). */
  readonly framesResent: number;
  readonly framesRejected: number;
  /** Frames sent on this connection and not acknowledged yet. */
  readonly framesInFlight: number;
  /** Since when the oldest of them waits for an ack (ms), or null when none is in flight. */
  readonly awaitingAckSince: number | null;
  readonly ackTimeoutMs: number;
  /** Connections dropped because the collector acknowledged nothing within the ack timeout. */
  readonly ackTimeouts: number;
  /** The protocol version of the current link (welcome.proto), or null while not connected. */
  readonly protocol: number | null;
}

const STATUS_INTERVAL_MS = 5_000;

/** Error codes after which re-sending the same bytes can never succeed. */
const PERMANENT: ReadonlySet<string> = new Set([RejectCode.malformed, RejectCode.schema, RejectCode.nonFiniteValue, RejectCode.tooLarge, RejectCode.tooDeep, RejectCode.extensionType, RejectCode.futureTimestamp]);

export class Uplink {
  private readonly o: UplinkOptions;
  private ws: WebSocket | null = null;
  private state: UplinkState = 'disconnected';
  private ready = false;
  private lastSentSeq = 0;
  private lastAckedSeq = 0;
  /** Seqs sent on this connection and not yet covered by an ack (acks are cumulative). */
  private sent: number[] = [];
  /** Highest seq ever sent by this process: a send at or below it is a resend. */
  private highestSent = 0;
  private framesResent = 0;
  private attempt = 0;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private lastHeard = 0;
  private lastError: string | null = null;
  private connectedSince: number | null = null;
  private connects = 0;
  private lastAckAt: number | null = null;
  private framesSent = 0;
  private framesRejected = 0;
  private acking: Promise<void> = Promise.resolve();
  private statusTimer: NodeJS.Timeout | null = null;
  /** ws:// beyond loopback, allowed by --insecure: said at every connect. */
  private readonly inClear: string | null;
  /** Which of the tokens to offer next; moves on when the collector refuses one. */
  private tokenIndex = 0;
  private ackTimer: NodeJS.Timeout | null = null;
  /** When the frames in flight started waiting: the first send with none in flight, or the last ack that left some. */
  private awaitingAckSince: number | null = null;
  private ackTimeouts = 0;
  /** The version the next hello offers: PROTOCOL_VERSION, or the minimum right after a collector refused it. */
  private offer = PROTOCOL_VERSION;
  private linkProtocol: number | null = null;

  constructor(options: UplinkOptions) {
    this.o = options;
    const u = new URL(options.url);
    this.inClear = u.protocol === 'ws:' && !isLoopbackHost(u.hostname) ? u.hostname : null;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Called when a new frame is durable in the buffer. */
  notify(): void {
    this.pump();
  }

  status(): UplinkStatus {
    return {
      url: this.o.url, state: this.state, lastError: this.lastError, connectedSince: this.connectedSince, connects: this.connects,
      lastAckAt: this.lastAckAt, lastAckedSeq: this.lastAckedSeq, framesSent: this.framesSent, framesResent: this.framesResent, framesRejected: this.framesRejected,
      framesInFlight: this.sent.length, awaitingAckSince: this.awaitingAckSince, ackTimeoutMs: this.o.ackTimeoutMs, ackTimeouts: this.ackTimeouts, protocol: this.linkProtocol,
    };
  }

  /** Closes the link; resolves when the socket is closed and pending buffer acks are written. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.ackTimer) clearInterval(this.ackTimer);
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => (ws.terminate(), resolve()), 1_000);
        ws.once('close', () => (clearTimeout(t), resolve()));
        ws.close(1001, 'agent stopping');
      });
    }
    await this.acking;
  }

  private connect(): void {
    if (this.stopped) return;
    this.state = 'connecting';
    if (this.inClear !== null) this.o.log.warn('sending the agent token in clear (--insecure): anyone on the path can read it and send data as this agent', { host: this.inClear });
    const tokens = this.o.tokens?.() ?? [this.o.token];
    const token = tokens[this.tokenIndex % Math.max(1, tokens.length)] ?? this.o.token;
    const ws = new WebSocket(this.o.url, {
      headers: { authorization: `Bearer ${token}` },
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
      ...this.o.tls,
    });
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => {
      this.lastHeard = Date.now();
      ws.send(encodeFrame({ t: 'hello', proto: this.offer, ...this.o.hello(), stream: this.o.buffer.stream() }));
      this.pingTimer = setInterval(() => this.checkAlive(ws), this.o.pingIntervalMs);
      this.ackTimer = setInterval(() => this.checkAcks(ws), Math.max(100, Math.min(1_000, this.o.ackTimeoutMs / 4)));
    });
    ws.on('pong', () => (this.lastHeard = Date.now()));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.lastHeard = Date.now();
      if (!isBinary) return this.fail(ws, 'collector sent a text message');
      const decoded = decodeFrame(data);
      if (!decoded.ok) return this.fail(ws, `collector sent a bad frame: ${decoded.code} ${decoded.detail}`);
      this.onFrame(decoded.frame as CollectorFrame);
    });
    ws.on('unexpected-response', (_req, res) => {
      const why = res.statusMessage !== undefined && res.statusMessage.includes(':') ? ` (${res.statusMessage.slice(res.statusMessage.indexOf(':') + 1).trim()})` : res.statusCode === 401 ? ' (token refused)' : '';
      this.lastError = `collector answered ${res.statusCode} to the upgrade${why}`;
      if (res.statusCode === 401 && tokens.length > 1) {
        this.tokenIndex++;
        this.o.log.warn('the collector refused a token; the next one in the token file is tried', { reason: this.lastError, of: tokens.length });
      }
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (this.lastError === null || !this.lastError.startsWith('collector answered')) this.lastError = describeConnectError(err);
    });
    ws.on('close', (code, reason) => {
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.statusTimer) clearInterval(this.statusTimer);
      this.statusTimer = null;
      if (this.ackTimer) clearInterval(this.ackTimer);
      this.ackTimer = null;
      if (this.ws !== ws) return;
      // An operator reading the journal sees when the collector went away and what waits meanwhile.
      if (this.ready && !this.stopped) {
        const b = this.o.buffer.stats();
        this.o.log.warn('lost the collector: buffering until it is back', { url: this.o.url, code, reason: reason.toString() || this.lastError, bufferedFrames: b.frames, bufferedSamples: b.samples });
      }
      this.ws = null;
      this.ready = false;
      this.linkProtocol = null;
      // An older collector refused the version offered: offer the oldest one at once, then the newest again next time.
      const older = code === CloseCode.unsupportedVersion && this.offer > MIN_PROTOCOL_VERSION;
      if (older) this.o.log.info('the collector speaks an older protocol; offering the oldest version', { offered: this.offer, next: MIN_PROTOCOL_VERSION });
      this.offer = older ? MIN_PROTOCOL_VERSION : PROTOCOL_VERSION;
      this.sent = [];
      this.awaitingAckSince = null;
      this.o.buffer.setInFlightThrough(0);
      this.connectedSince = null;
      if (code !== 1000 && code !== 1005 && code !== 1006 && this.lastError === null) this.lastError = `closed ${code} ${reason.toString()}`;
      this.state = this.stopped ? 'disconnected' : 'connecting';
      if (!this.stopped && older) this.reconnectTimer = setTimeout(() => this.connect(), 50);
      else if (!this.stopped) this.scheduleReconnect();
      else this.state = 'disconnected';
    });
  }

  private scheduleReconnect(): void {
    const delay = fullJitterDelay(this.attempt++, this.o.backoffBaseMs, this.o.backoffCapMs);
    this.state = 'disconnected';
    this.reconnectTimer = setTimeout(() => this.connect(), Math.max(delay, 50));
  }

  private checkAlive(ws: WebSocket): void {
    if (Date.now() - this.lastHeard > this.o.pingTimeoutMs) {
      this.lastError = `no answer from the collector for ${this.o.pingTimeoutMs} ms`;
      ws.terminate();
      return;
    }
    if (ws.readyState === WebSocket.OPEN) ws.ping();
  }

  private checkAcks(ws: WebSocket): void {
    if (this.awaitingAckSince === null || this.sent.length === 0) return;
    if (Date.now() - this.awaitingAckSince <= this.o.ackTimeoutMs) return;
    this.ackTimeouts++;
    this.lastError = `no ack from the collector for ${this.o.ackTimeoutMs} ms with ${this.sent.length} frames in flight; reconnecting`;
    this.o.log.warn('collector acknowledges nothing; reconnecting', { inFlight: this.sent.length, ackTimeoutMs: this.o.ackTimeoutMs });
    ws.terminate();
  }

  private fail(ws: WebSocket, why: string): void {
    this.lastError = why;
    this.o.log.warn('uplink closing', { reason: why });
    ws.close(4000, 'protocol error');
  }

  private onFrame(frame: CollectorFrame): void {
    switch (frame.t) {
      case 'welcome': {
        const numbered = this.o.buffer.stats().counters.nextSeq - 1;
        if (frame.lastSeq > numbered) return this.restartStream(frame.lastSeq, numbered);
        this.ready = true;
        this.state = 'connected';
        this.attempt = 0;
        this.connects++;
        this.lastError = null;
        this.connectedSince = Date.now();
        this.linkProtocol = frame.proto;
        this.lastAckedSeq = Math.max(this.lastAckedSeq, frame.lastSeq);
        this.lastSentSeq = frame.lastSeq;
        this.sent = [];
        this.awaitingAckSince = null;
        this.enqueueAck(frame.lastSeq);
        this.o.log.info('connected to collector', { url: this.o.url, lastSeq: frame.lastSeq });
        this.pump();
        this.sendStatus();
        if (this.statusTimer) clearInterval(this.statusTimer);
        this.statusTimer = setInterval(() => this.sendStatus(), STATUS_INTERVAL_MS);
        return;
      }
      case 'ack': {
        // Acks are cumulative: one beyond what this connection sent would count unsent frames as stored.
        if (frame.seq > this.lastSentSeq) return this.fail(this.ws as WebSocket, `collector acknowledged seq ${frame.seq}, beyond the last one sent (${this.lastSentSeq})`);
        this.lastAckAt = Date.now();
        if (frame.seq > this.lastAckedSeq) this.lastAckedSeq = frame.seq;
        // Cumulative: the collector stores in order, so an ack covers every earlier frame (a lost ack costs nothing).
        this.sent = this.sent.filter((seq) => seq > frame.seq);
        this.awaitingAckSince = this.sent.length === 0 ? null : Date.now();
        this.enqueueAck(frame.seq);
        return;
      }
      case 'sync':
        this.o.onSync?.(frame);
        return;
      case 'error': {
        this.o.log.warn('collector rejected a frame', { code: frame.code, detail: frame.detail, seq: frame.seq });
        if (frame.seq !== undefined) {
          const rejectedSeq = frame.seq;
          this.sent = this.sent.filter((seq) => seq !== rejectedSeq);
          if (this.sent.length === 0) this.awaitingAckSince = null;
          if (PERMANENT.has(frame.code)) {
            this.framesRejected++;
            const seq = frame.seq;
            this.acking = this.acking.then(() => this.o.buffer.reject(seq)).then(() => this.pump());
          }
        }
        return;
      }
    }
  }

  /**
   * The collector holds seqs of this stream that the buffer never numbered: they are another
   * buffer's (a restored backup, a copied data dir). Acknowledging by them would delete frames the
   * collector never received, so the buffer starts a new stream and the link reconnects at once.
   */
  private restartStream(lastSeq: number, numbered: number): void {
    const ws = this.ws;
    const old = this.o.buffer.stream();
    this.lastError = `the collector holds seq ${lastSeq} of stream ${old}, beyond this buffer's ${numbered}: starting a new stream`;
    this.o.log.warn('stream taken by another buffer; starting a new one', { stream: old, collectorLastSeq: lastSeq, bufferLastSeq: numbered });
    this.attempt = 0;
    this.acking = this.acking.then(async () => {
      await this.o.buffer.renewStream();
      ws?.close(1000, 'new stream');
    });
  }

  /** Tells the collector how much is waiting here (for the fleet view's backlog column). */
  private sendStatus(): void {
    const ws = this.ws;
    if (!this.ready || ws === null || ws.readyState !== WebSocket.OPEN) return;
    const b = this.o.buffer.stats();
    const dropped = Object.values(b.counters.dropped).reduce((x, y) => x + y, 0);
    ws.send(encodeFrame({ t: 'status', clock: Date.now(), bufferFrames: b.frames, bufferBytes: b.bytes, droppedSamples: dropped }));
  }

  private enqueueAck(seq: number): void {
    this.acking = this.acking
      .then(() => this.o.buffer.ack(seq))
      .then(() => this.pump())
      .catch((err: unknown) => this.o.log.error('buffer ack failed', { error: err }));
  }

  private pump(): void {
    const ws = this.ws;
    if (!this.ready || ws === null || ws.readyState !== WebSocket.OPEN) return;
    const room = this.o.window - this.sent.length;
    if (room <= 0) return;
    for (const f of this.o.buffer.readFrom(this.lastSentSeq, room)) {
      if (this.sent.length === 0) this.awaitingAckSince = Date.now();
      ws.send(f.bytes);
      this.lastSentSeq = f.seq;
      this.sent.push(f.seq);
      this.framesSent++;
      if (f.seq <= this.highestSent) this.framesResent++;
      else this.highestSent = f.seq;
    }
    this.o.buffer.setInFlightThrough(this.lastSentSeq);
  }
}
