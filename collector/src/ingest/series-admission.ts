/**
 * Series caps: how many series the collector keeps per agent and in all. Every series costs
 * memory for as long as the collector runs (its registry entry, its head buffers) and again at
 * every start, so one agent token must not be able to grow it without bound. A frame's series
 * that the store already holds always pass; a new one passes while its agent and the whole
 * store are under their caps; beyond them the new series' samples are refused: acknowledged with
 * the frame, counted per agent (`refusedSamples`), never stored. The rest of the frame is stored.
 *
 *   frame ─ dictionary seen on this connection, all admitted? ─ yes ─▶ as received (no work)
 *                 │ no
 *                 ▼
 *   each series: known to the store, or reserved by a queued frame?  ─ yes ─▶ admitted
 *                 │ no: under both caps? ─ yes ─▶ reserved (until its frame's commit), admitted
 *                 │                       └ no ──▶ refused, counted
 *                 ▼
 *   the frame re-encoded without the refused series (same seq, same events)
 *
 * Series are never deleted, so a dictionary whose series were all committed stays admitted for
 * the connection's life: each connection remembers its last two such dictionaries and skips the
 * work when one repeats (an agent sends the same one tick after tick).
 */
import { BatchBuilder, batchSeriesNames, readBatch } from '@sigmascope/protocol/batch';
import { encodeFrame } from '@sigmascope/protocol/codec';
import type { BatchFrame } from '@sigmascope/protocol/frames';
import { series as seriesOf, seriesKey } from '@sigmascope/protocol/series';
import type { Labels } from '@sigmascope/protocol/series';
import { sameDictionary } from '../store/head/frame-series.ts';
import type { BatchDictionary } from '../store/head/frame-series.ts';

/** Defaults: an 8-GPU host sends about 100 series, a few hundred with probes and an inference server's metrics. */
export const DEFAULT_SERIES_LIMITS = { maxPerAgent: 10_000, maxTotal: 100_000 } as const;

export interface SeriesLimits {
  readonly maxPerAgent: number;
  readonly maxTotal: number;
}

/** What the admission asks the store: committed series only. */
export interface SeriesCounts {
  seriesCount(agent?: string): number;
  hasSeries(agent: string, name: string, labels: Labels): boolean;
}

/** A frame some of whose series were refused: the rest of it, and what was refused. */
export interface Admitted {
  readonly frame: BatchFrame;
  readonly bytes: Uint8Array;
  readonly refusedSeries: number;
  readonly refusedSamples: number;
}

/** A frame's reservations of new series, handed back by `settle` once its commit is over. */
export interface Reservation {
  readonly agent: string;
  readonly keys: readonly string[];
}

/** One per connection: its last dictionaries whose series the store already held, all of them. */
export class AdmissionMemory {
  known: BatchDictionary[] = [];
}

/** The caps of one collector: one per ingest server, shared by its connections (see the module comment). */
export class SeriesAdmission {
  private readonly limits: SeriesLimits;
  private readonly store: SeriesCounts;
  /** New series admitted for frames not yet committed, by agent. */
  private readonly reserved = new Map<string, Set<string>>();
  private reservedTotal = 0;

  constructor(limits: SeriesLimits, store: SeriesCounts) {
    this.limits = limits;
    this.store = store;
  }

  /**
   * Admits `frame` of `agent` (its `bytes` as received). Returns null when every series passes
   * (the common case); else the frame without the refused series. `reservation` gets the new
   * series this frame reserved: hand it to `settle` after the frame's commit, stored or not.
   */
  admit(agent: string, frame: BatchFrame, memory: AdmissionMemory, reservation: string[]): Admitted | null {
    if (memory.known.some((d) => sameDictionary(d, frame))) return null;
    const reservedBefore = reservation.length;
    const refused = this.judge(agent, frame, reservation);
    // Remembered only when every series was already committed: a reserved one may yet fail to commit.
    if (refused.length === 0 && reservation.length === reservedBefore) memory.known = [{ strs: frame.strs, ls: frame.ls, sr: frame.sr }, ...memory.known].slice(0, 2);
    return refused.length === 0 ? null : this.without(frame, refused);
  }

  private judge(agent: string, frame: BatchFrame, reservation: string[]): number[] {
    const refused: number[] = [];
    const names = batchSeriesNames(frame);
    for (let i = 0; i < names.length; i++) {
      const s = names[i] as { name: string; labels: Labels };
      if (this.store.hasSeries(agent, s.name, s.labels)) continue;
      const key = seriesKey(s.name, s.labels);
      const mine = this.reserved.get(agent);
      if (mine?.has(key) === true) continue;
      const agentCount = this.store.seriesCount(agent) + (mine?.size ?? 0);
      const total = this.store.seriesCount() + this.reservedTotal;
      if (agentCount >= this.limits.maxPerAgent || total >= this.limits.maxTotal) {
        refused.push(i);
        continue;
      }
      if (mine === undefined) this.reserved.set(agent, new Set([key]));
      else mine.add(key);
      this.reservedTotal++;
      reservation.push(key);
    }
    return refused;
  }

  /** The frame without the series at `refused` (indices in `sr` order), and what they held. */
  private without(frame: BatchFrame, refused: readonly number[]): Admitted {
    const drop = new Set(refused);
    const kept = new BatchBuilder();
    let refusedSamples = 0;
    readBatch(frame).forEach((s, i) => {
      if (drop.has(i)) {
        refusedSamples += s.ts.length;
        return;
      }
      const id = seriesOf(s.name, s.labels);
      for (let k = 0; k < s.ts.length; k++) kept.add(id, s.ts[k] as number, s.values[k] as number);
    });
    for (const e of frame.ev) kept.addEvent(e);
    const rest = kept.seal(frame.seq, frame.t0);
    return { frame: rest, bytes: encodeFrame(rest), refusedSeries: refused.length, refusedSamples };
  }

  /** After the commit of the frame that made `reservation` (stored or not): the store now answers for those series. */
  settle(agent: string, reservation: readonly string[]): void {
    if (reservation.length === 0) return;
    const mine = this.reserved.get(agent);
    if (mine === undefined) return;
    for (const key of reservation) if (mine.delete(key)) this.reservedTotal--;
    if (mine.size === 0) this.reserved.delete(agent);
  }
}
