/**
 * The Store on SQLite with the chunked layout (docs/storage.md):
 *
 *   storeFrames ─one transaction─▶ ONE intake record (the frames as received) + seqs + events + counters
 *   storeBatch  ─one transaction─▶ intake record (the points) + seq + events + counters   (then ack)
 *        └──────────────────────────▶ head (memory, queryable at once)
 *   flush()    ──slices, one transaction each──▶ chunks (+ late rollup merges); the last slice
 *                                               deletes the intake below the cut's watermark
 *   rollHours() ─slices of series, one transaction each──▶ tier blocks + sketches, then W moves
 *   open       ──────────────────▶ intake replayed into the head (nothing acked is lost), then
 *                                  a cut that a crash interrupted between slices is finished
 *   intakeAfter(id) ─────────────▶ the records after an exporter's cursor, in commit order
 *
 * Intake ids only grow (never handed out twice, even after the table emptied), so an exporter's
 * cursor names one point of the log for good; `intakeHold` keeps the records it has not passed.
 *
 * Exactly-once: a batch with seq ≤ the stream's last seq is 'duplicate' and touches nothing.
 */
import type { AgentEvent } from '@sigmascope/protocol/events';
import { batchSampleCount, batchSeriesNames } from '@sigmascope/protocol/batch';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import type { Statement } from 'better-sqlite3';
import { rangeQuery } from '../query/range-query.ts';
import { ChunkWriter } from './chunks/chunk-writer.ts';
import type { CutProgress } from './chunks/chunk-writer.ts';
import { countDuplicateSamples } from './duplicate-audit.ts';
import { FlushedTails, tailThenHead } from './head/flushed-tail.ts';
import { Head } from './head/head.ts';
import { PeriodRollup } from './rollups/period-rollup.ts';
import type { ResolvedDictionary } from './head/frame-series.ts';
import { decodeIntake, encodeFrameIntake, encodeIntake } from './head/intake-record.ts';
import type { IntakeFrame, IntakeSeries } from './head/intake-record.ts';
import { importLegacySamples } from './schema/legacy-import.ts';
import type { QuantileSketch } from './rollups/quantile-sketch.ts';
import { DEFAULT_RETENTION } from './retention/retention-policy.ts';
import type { RetentionPolicy } from './retention/retention-policy.ts';
import type { Agg, TierName } from './rollups/rollup-tiers.ts';
import { SeriesReader } from './series-reader.ts';
import { SeriesRegistry } from './series-registry.ts';
import type { SqliteDb } from './schema/sqlite-db.ts';
import type { Labels } from '@sigmascope/protocol/series';
import type { AgentInfo, Points, QuarantinedSample, ReceivedFrame, SeriesQuery, SeriesRef, SeriesResult, Store, StoreOutcome, StoredEvent } from './store.ts';
import { AgentRows } from './rows/agent-rows.ts';
import { QuarantineRows } from './rows/quarantine-rows.ts';

export interface ChunkedStoreOptions {
  readonly retention?: RetentionPolicy;
  /** A window closes this long after its end on the collector clock even if no later point came. */
  readonly graceMs?: number;
  readonly clock?: () => number;
  /** The lowest intake id an exporter still needs (collector/src/export/); the flush keeps it and all above. */
  readonly intakeHold?: () => number;
}

/**
 * One intake record as an exporter reads it: its id and, decoded only when asked (a record of a
 * group commit can hold 100,000 samples), its points by series id, or why it does not decode.
 */
export interface IntakeEntry {
  readonly id: number;
  decode(): { series: IntakeSeries[]; corrupt?: string };
}

/** What storeFrames' transaction wrote: each frame's outcome and dictionary, the intake record's id. */
interface FramesCommit {
  readonly outcomes: StoreOutcome[];
  readonly resolved: (ResolvedDictionary | null)[];
  readonly intakeId: number;
  readonly created: SeriesRef[];
}

/** Figures of one flush, for logs and benchmarks. */
export interface FlushResult {
  readonly points: number;
  readonly series: number;
}

/** One slice of a flush or a period rollup: `done` when no slice of it remains for now. */
export interface SliceResult extends FlushResult {
  readonly done: boolean;
}

/**
 * Bounds of one slice (one transaction): it stops taking series once it holds `maxPoints` points
 * or `maxSeries` series (at least one series with points). About 40,000 points are 10–20 ms of
 * the collector's thread for the flush and the rollup alike.
 */
export interface SliceBounds {
  readonly maxPoints: number;
  readonly maxSeries: number;
}

export const DEFAULT_SLICE: SliceBounds = { maxPoints: 40_000, maxSeries: 4_000 };

/** A flush between its slices: the cut's watermark, its series (ascending) and how far it got. */
interface CutInProgress {
  readonly watermark: number;
  readonly seriesIds: readonly number[];
  next: number;
}

export class ChunkedStore implements Store {
  private readonly db: SqliteDb;
  private readonly head = new Head();
  private readonly registry: SeriesRegistry;
  private readonly reader: SeriesReader;
  private readonly writer: ChunkWriter;
  private readonly periods: PeriodRollup;
  private readonly agentRows: AgentRows;
  private readonly quarantine: QuarantineRows;
  private readonly addIntake: Statement;
  private readonly storeTxn: (agentId: string, stream: string, seq: number, series: readonly BatchSeries[], events: readonly AgentEvent[], receivedAt: number) => { outcome: StoreOutcome; intakeId: number; parts: IntakeSeries[]; created: SeriesRef[] };
  private readonly framesTxn: (frames: readonly ReceivedFrame[]) => FramesCommit;
  readonly retention: RetentionPolicy;
  private readonly graceMs: number;
  private readonly clock: () => number;
  private total: number;
  private closed = false;
  private cut: CutInProgress | null = null;
  /** The id the next intake record gets (see the module comment). */
  private nextIntake: number;
  /** The newest points this process moved from the head to chunks (see pointsAfter). */
  private readonly tails = new FlushedTails();
  private readonly rolledThroughOf = (seriesId: number): number => this.periods.rolledThroughOf(seriesId);

  constructor(db: SqliteDb, options: ChunkedStoreOptions = {}) {
    this.db = db;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.graceMs = options.graceMs ?? 10_000;
    this.clock = options.clock ?? Date.now;
    this.registry = new SeriesRegistry(db);
    this.writer = new ChunkWriter(db, options.intakeHold);
    this.periods = new PeriodRollup(db, this.writer.sketch1h);
    this.reader = new SeriesReader(db, this.head, this.registry, this.retention, this.rolledThroughOf);
    this.agentRows = new AgentRows(db);
    this.quarantine = new QuarantineRows(db);
    this.addIntake = db.prepare('insert into intake (id, body) values (?, ?)');
    importLegacySamples(db);
    this.nextIntake = Math.max((db.prepare('select max(id) from intake').pluck().get() as number | null) ?? 0, this.writer.flushedBelow() - 1) + 1;
    this.total = this.agentRows.totalSamples();
    this.storeTxn = db.transaction((agentId: string, stream: string, seq: number, series: readonly BatchSeries[], events: readonly AgentEvent[], receivedAt: number) => {
      const created: SeriesRef[] = [];
      if (seq <= this.agentRows.lastSeq(agentId, stream)) return { outcome: 'duplicate' as const, intakeId: 0, parts: [], created };
      const parts: IntakeSeries[] = [];
      let count = 0;
      for (const s of series) {
        if (s.ts.length === 0) continue;
        parts.push({ seriesId: this.registry.resolve(agentId, s.name, s.labels, created), ts: s.ts, values: s.values });
        count += s.ts.length;
      }
      const intakeId = parts.length === 0 ? 0 : this.appendIntake(encodeIntake(parts));
      this.agentRows.addEvents(agentId, events);
      this.agentRows.counted(agentId, count, receivedAt);
      this.agentRows.setLastSeq(agentId, stream, seq);
      return { outcome: 'stored' as const, intakeId, parts, created };
    });
    this.framesTxn = db.transaction((frames: readonly ReceivedFrame[]) => this.writeFrames(frames));
    const interrupted = this.writer.progress();
    this.replayIntake(interrupted);
    if (interrupted !== null) {
      // Finish the cut a crash interrupted before anything else cuts (its records are still there).
      this.cut = { watermark: interrupted.watermark, seriesIds: this.head.seriesBelow(interrupted.watermark).filter((id) => id > interrupted.through), next: 0 };
      this.finishCut(DEFAULT_SLICE);
    }
  }

  /** The body of storeFrames' transaction: every write, no change to memory but proposals. */
  private writeFrames(frames: readonly ReceivedFrame[]): FramesCommit {
    const outcomes: StoreOutcome[] = [];
    const resolved: (ResolvedDictionary | null)[] = [];
    const entries: IntakeFrame[] = [];
    const created: SeriesRef[] = [];
    const streams = new Map<string, { agentId: string; stream: string; seq: number }>();
    const counts = new Map<string, { samples: number; at: number }>();
    for (const f of frames) {
      const key = `${f.agentId}\u0000${f.stream}`;
      const last = streams.get(key)?.seq ?? this.agentRows.lastSeq(f.agentId, f.stream);
      if (f.frame.seq <= last) {
        outcomes.push('duplicate');
        resolved.push(null);
        continue;
      }
      streams.set(key, { agentId: f.agentId, stream: f.stream, seq: f.frame.seq });
      const samples = batchSampleCount(f.frame);
      let dict: ResolvedDictionary | null = null;
      if (samples > 0) {
        dict = f.dictionary.lookup(f.frame) ?? f.dictionary.propose(f.frame, batchSeriesNames(f.frame).map((s) => this.registry.resolve(f.agentId, s.name, s.labels, created)));
        entries.push({ idBytes: dict.idBytes, bytes: f.bytes });
      }
      resolved.push(dict);
      const c = counts.get(f.agentId);
      if (c === undefined) counts.set(f.agentId, { samples, at: f.receivedAt });
      else {
        c.samples += samples;
        c.at = Math.max(c.at, f.receivedAt);
      }
      outcomes.push('stored');
    }
    // Agent rows first: streams and events refer to them.
    for (const [agentId, c] of counts) this.agentRows.counted(agentId, c.samples, c.at);
    for (const s of streams.values()) this.agentRows.setLastSeq(s.agentId, s.stream, s.seq);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as ReceivedFrame;
      if (outcomes[i] !== 'stored') continue;
      if (f.frame.ev.length > 0) this.agentRows.addEvents(f.agentId, f.frame.ev);
      if (f.future !== undefined && f.future.length > 0) this.quarantine.add(f.agentId, f.receivedAt, f.future);
      if (f.refusedSamples !== undefined && f.refusedSamples > 0) this.agentRows.refused(f.agentId, f.refusedSamples);
    }
    const intakeId = entries.length === 0 ? 0 : this.appendIntake(encodeFrameIntake(entries));
    return { outcomes, resolved, intakeId, created };
  }

  /** Inside a transaction: adds an intake record under the next id (taken for good only when it commits). */
  private appendIntake(body: Uint8Array): number {
    const id = this.nextIntake;
    this.addIntake.run(id, body);
    this.nextIntake = id + 1;
    return id;
  }

  /** After a transaction rolled back: memory forgets what it proposed. */
  private rolledBack(frames: readonly ReceivedFrame[] = []): void {
    this.nextIntake = Math.max((this.db.prepare('select max(id) from intake').pluck().get() as number | null) ?? 0, this.writer.flushedBelow() - 1) + 1;
    this.registry.abandon();
    this.agentRows.rolledBack();
    for (const f of frames) f.dictionary.rolledBack();
  }

  /**
   * Replays the intake into the head, without the records a flush wrote to chunks (kept for an
   * exporter) and the points an interrupted cut already wrote.
   */
  private replayIntake(interrupted: CutProgress | null): void {
    const rows = this.db.prepare('select id, body from intake where id >= ? order by id').raw().iterate(this.writer.flushedBelow()) as IterableIterator<[number, Uint8Array]>;
    for (const [id, body] of rows) {
      const done = interrupted !== null && id < interrupted.watermark;
      for (const p of decodeIntake(body)) if (!(done && p.seriesId <= (interrupted as CutProgress).through)) this.head.append(p.seriesId, p.ts, p.values, id);
    }
  }

  lastSeq(agentId: string, stream: string): number {
    return this.agentRows.lastSeq(agentId, stream);
  }

  storeFrames(frames: readonly ReceivedFrame[]): StoreOutcome[] {
    let r: FramesCommit;
    try {
      r = this.framesTxn(frames);
    } catch (err) {
      this.rolledBack(frames);
      throw err;
    }
    this.registry.adopt(r.created);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as ReceivedFrame;
      f.dictionary.committed();
      const dict = r.resolved[i];
      if (dict === null || dict === undefined) continue;
      const { t0, dt, n, v } = f.frame;
      this.total += this.head.appendFrame(dict.ids, dict.slots, t0, dt, new DataView(v.buffer, v.byteOffset, v.byteLength), n, r.intakeId);
    }
    return r.outcomes;
  }

  storeBatch(agentId: string, stream: string, seq: number, series: readonly BatchSeries[], events: readonly AgentEvent[], receivedAt: number): StoreOutcome {
    let r;
    try {
      r = this.storeTxn(agentId, stream, seq, series, events, receivedAt);
    } catch (err) {
      this.rolledBack();
      throw err;
    }
    if (r.outcome === 'duplicate') return 'duplicate';
    this.registry.adopt(r.created);
    for (const p of r.parts) {
      this.head.append(p.seriesId, p.ts, p.values, r.intakeId);
      this.total += p.ts.length;
    }
    return 'stored';
  }

  /**
   * Writes every closed head window to chunks and trims the intake: first the rest of a cut in
   * progress, then a new cut, each in slices (one transaction each) run back to back.
   * `everything` also closes open windows (shutdown, tests). Throws when SQLite refuses; the head
   * and intake then still hold every point not yet in chunks.
   */
  flush(everything = false, bounds: SliceBounds = DEFAULT_SLICE): FlushResult {
    const a = this.cut === null ? { points: 0, series: 0 } : this.finishCut(bounds);
    const b = this.finishCut(bounds, everything);
    return { points: a.points + b.points, series: a.series + b.series };
  }

  private finishCut(bounds: SliceBounds, everything = false): FlushResult {
    let points = 0;
    let series = 0;
    for (;;) {
      const r = this.flushSlice(bounds, everything);
      points += r.points;
      series += r.series;
      if (r.done) return { points, series };
    }
  }

  /**
   * One slice of the flush (one transaction): starts a cut of the closed windows if none is in
   * progress (see Head.startCut), then writes the chunks of its next series within `bounds`.
   * The intake records below the cut's watermark go in its last slice (chunk-writer.ts); between
   * slices ingest, acks and reads go on, and new points never join the cut. `everything` applies
   * when a cut starts. Throws when SQLite refuses; the slice is then tried again.
   */
  flushSlice(bounds: SliceBounds = DEFAULT_SLICE, everything = false): SliceResult {
    if (this.cut === null) {
      const c = this.head.startCut(this.clock(), this.graceMs, everything);
      if (c.seriesIds.length === 0) return { done: true, points: 0, series: 0 };
      this.cut = { watermark: c.watermark, seriesIds: c.seriesIds, next: 0 };
    }
    const cut = this.cut;
    const slice = [];
    let points = 0;
    let i = cut.next;
    while (i < cut.seriesIds.length && slice.length < bounds.maxSeries && (points < bounds.maxPoints || slice.length === 0)) {
      const c = this.head.cutOf(cut.seriesIds[i] as number, cut.watermark);
      i++;
      if (c === null) continue;
      if (slice.length > 0 && points + c.ts.length > bounds.maxPoints) {
        i--;
        break;
      }
      slice.push(c);
      points += c.ts.length;
    }
    const last = i === cut.seriesIds.length;
    this.writer.write({ series: slice, watermark: cut.watermark, last }, this.rolledThroughOf);
    for (const c of slice) {
      this.head.drop(c.seriesId, cut.watermark);
      this.tails.note(c.seriesId, c.ts, c.values);
    }
    cut.next = i;
    if (last) this.cut = null;
    return { done: last, points, series: slice.length };
  }

  /** Rolls every finished period (at most `maxHours` hours of them) in slices run back to back; returns the periods rolled. */
  rollHours(maxHours = 24, bounds: SliceBounds = DEFAULT_SLICE): number {
    return this.periods.run(this.clock(), this.graceMs + 60_000, maxHours, bounds);
  }

  /**
   * One slice of the period rollup (one transaction, period-rollup.ts): the next series of the
   * period in progress, or of the next finished one. `done` when no finished period waits.
   */
  rollSlice(bounds: SliceBounds = DEFAULT_SLICE): SliceResult {
    return this.periods.step(this.clock(), this.graceMs + 60_000, bounds);
  }

  /**
   * Intake records with id > `afterId`, ascending, at most `limit`: every acknowledged sample in
   * commit order (quarantined samples are not in them). A record that does not decode comes
   * back empty with `corrupt` saying why; each is decoded only when its `decode` is called.
   */
  intakeAfter(afterId: number, limit: number): IntakeEntry[] {
    const rows = this.db.prepare('select id, body from intake where id > ? order by id limit ?').raw().all(afterId, limit) as [number, Uint8Array][];
    return rows.map(([id, body]) => ({
      id,
      decode: () => {
        try {
          return { series: decodeIntake(body) };
        } catch (err) {
          return { series: [], corrupt: String(err) };
        }
      },
    }));
  }

  /** The id of the newest committed intake record (0 when none was ever written). */
  intakeTail(): number {
    return this.nextIntake - 1;
  }

  /** Deletes flushed intake records no hold keeps any more (an exporter's cursor moved on); returns how many. */
  releaseIntake(): number {
    return this.writer.release();
  }

  /** A stored series by id, or undefined. */
  seriesRef(seriesId: number): SeriesRef | undefined {
    return this.registry.get(seriesId);
  }

  /** Points waiting in the head. */
  get headSize(): number {
    return this.head.size;
  }

  noteAgent(a: { id: string; name: string; hostname: string; version: string; bootId: string; clockSkewMs: number; seenAt: number }): void {
    this.agentRows.noteAgent(a);
  }

  agents(): AgentInfo[] {
    return this.agentRows.agents().map((a) => ({ ...a, series: this.registry.count(a.id) }));
  }

  seriesCount(agent?: string): number {
    return this.registry.count(agent);
  }

  hasSeries(agent: string, name: string, labels: Labels): boolean {
    return this.registry.has(agent, name, labels);
  }

  series(q: SeriesQuery): SeriesResult[] {
    return rangeQuery(this, q);
  }

  events(f: { from: number; to: number; agent?: string; kind?: AgentEvent['kind']; limit: number }): StoredEvent[] {
    return this.agentRows.events(f);
  }

  quarantined(filter: { agent?: string; limit: number }): QuarantinedSample[] {
    return this.quarantine.list(filter);
  }

  setEventState(id: number, state: StoredEvent['state']): StoredEvent | null {
    return this.agentRows.setEventState(id, state);
  }

  sampleCount(): number {
    return this.total;
  }

  duplicateRowCount(): number {
    return countDuplicateSamples(this.db);
  }

  findSeries(name: string, accept: (s: SeriesRef) => boolean, limit: number): { series: SeriesRef[]; truncated: boolean } {
    return this.reader.findSeries(name, accept, limit);
  }

  metricNames(): string[] {
    return this.reader.metricNames();
  }

  raw(seriesId: number, from: number, to: number): Points {
    return this.reader.raw(seriesId, from, to);
  }

  buckets(seriesId: number, tier: TierName, from: number, to: number): Agg[] {
    return this.reader.buckets(seriesId, tier, from, to);
  }

  sketch(seriesId: number, from: number, to: number): QuantileSketch {
    return this.reader.sketch(seriesId, from, to);
  }

  latest(seriesId: number): [number, number] | null {
    return this.reader.latest(seriesId);
  }

  keptSince(resolution: TierName | 'raw', now: number): number {
    return this.reader.keptSince(resolution, now);
  }

  pointsAfter(seriesId: number, after: number): Points {
    const from = Math.floor(after) + 1;
    // Chunks written before this process started are unknown here: they are read until a flush of ours tells.
    const flushed = this.tails.from(seriesId, from);
    if (flushed === null) return this.reader.raw(seriesId, from, Number.MAX_SAFE_INTEGER);
    return tailThenHead(flushed, this.head.after(seriesId, from));
  }

  /** The database handle, for the retention job that shares this store's file. */
  get database(): SqliteDb {
    return this.db;
  }

  /** Flushes the whole head (best effort: the intake keeps it otherwise) and closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush(true);
    } catch {
      // The intake still holds the head; the next start replays it.
    }
    this.db.close();
  }
}
