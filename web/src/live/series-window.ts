/**
 * The points a page holds in memory: per series of per agent, sorted by time, seeded from
 * `/api/v1/series` history and extended by live points, trimmed to a time window and a point cap.
 *
 *   key "agent␀name{labels}" → { agent, name, labels, points: [[ts, v], …] (ascending ts) }
 *
 * Only watched series keep their history; every other series keeps its newest point, so a
 * dashboard open on a large fleet holds the latest values of everything and the history of what
 * it draws. Pure data structure: no I/O, no DOM. `version` grows on every change.
 */
import type { Labels } from '@sigmascope/protocol/series';
import { seriesKey } from '@sigmascope/protocol/series';
import type { LivePoint } from '@sigmascope/protocol/live';

/** One series as held in the window. `points` is mutated in place; treat it as read-only. */
export interface WindowSeries {
  readonly key: string;
  readonly agent: string;
  readonly name: string;
  readonly labels: Labels;
  readonly points: [number, number][];
}

/** What to pick from the window: a metric name, optionally one agent and required labels. */
export interface SeriesFilter {
  readonly name: string;
  readonly agent?: string;
  readonly labels?: Labels;
}

/** Does `labels` contain every pair of `want`? */
export function labelsMatch(labels: Labels, want: Labels | undefined): boolean {
  if (!want) return true;
  for (const [k, v] of Object.entries(want)) if (labels[k] !== v) return false;
  return true;
}

/** Points per series, sorted, bounded; see the file comment for what is kept. */
export class SeriesWindow {
  private readonly map = new Map<string, WindowSeries>();
  private readonly maxPoints: number;
  private readonly watchAll: boolean;
  private readonly watches: SeriesFilter[] = [];
  private readonly watched = new Map<string, boolean>();
  /** Grows on every change. */
  version = 0;

  /** `watchAll`: keep history for every series (a single host's page). */
  constructor(maxPoints = 7200, watchAll = false) {
    this.maxPoints = maxPoints;
    this.watchAll = watchAll;
  }

  /** Keeps history for series matching `filter` from now on (idempotent). */
  watch(filter: SeriesFilter): void {
    const same = (f: SeriesFilter): boolean => f.name === filter.name && f.agent === filter.agent && JSON.stringify(f.labels ?? {}) === JSON.stringify(filter.labels ?? {});
    if (this.watches.some(same)) return;
    this.watches.push(filter);
    this.watched.clear();
  }

  private isWatched(s: WindowSeries): boolean {
    if (this.watchAll) return true;
    let w = this.watched.get(s.key);
    if (w === undefined) {
      w = this.watches.some((f) => f.name === s.name && (f.agent === undefined || f.agent === s.agent) && labelsMatch(s.labels, f.labels));
      this.watched.set(s.key, w);
    }
    return w;
  }

  private entry(agent: string, name: string, labels: Labels): WindowSeries {
    const key = `${agent}\u0000${seriesKey(name, labels)}`;
    let s = this.map.get(key);
    if (!s) {
      s = { key, agent, name, labels, points: [] };
      this.map.set(key, s);
    }
    return s;
  }

  /** Appends live points; an out-of-order point is inserted in place, a repeated ts replaces. */
  add(points: readonly LivePoint[]): void {
    for (const p of points) {
      const s = this.entry(p.agent, p.name, p.labels);
      const pts = s.points;
      const last = pts[pts.length - 1];
      if (!this.isWatched(s)) {
        if (!last || p.ts >= last[0]) pts.splice(0, pts.length, [p.ts, p.value]);
        continue;
      }
      if (!last || p.ts > last[0]) pts.push([p.ts, p.value]);
      else insertSorted(pts, p.ts, p.value);
      if (pts.length > this.maxPoints) pts.splice(0, pts.length - this.maxPoints);
    }
    if (points.length > 0) this.version++;
  }

  /** Merges history for one series (and watches it): history replaces what the window held before its last point. */
  seed(agent: string, name: string, labels: Labels, history: readonly (readonly [number, number])[]): void {
    this.watch({ name, agent, labels });
    const s = this.entry(agent, name, labels);
    const lastHist = history.length > 0 ? (history[history.length - 1] as readonly [number, number])[0] : -Infinity;
    const newer = s.points.filter((p) => p[0] > lastHist);
    s.points.length = 0;
    for (const [ts, v] of history) s.points.push([ts, v]);
    for (const p of newer) s.points.push(p);
    if (s.points.length > this.maxPoints) s.points.splice(0, s.points.length - this.maxPoints);
    this.version++;
  }

  /** Drops points older than `fromTs`; series left empty are forgotten. */
  trim(fromTs: number): void {
    for (const [key, s] of this.map) {
      let i = 0;
      while (i < s.points.length && (s.points[i] as [number, number])[0] < fromTs) i++;
      if (i > 0) s.points.splice(0, i);
      if (s.points.length === 0) this.map.delete(key);
    }
    this.version++;
  }

  /** Series matching the filter, in a stable order (by key). */
  select(filter: SeriesFilter): WindowSeries[] {
    const out: WindowSeries[] = [];
    for (const s of this.map.values()) {
      if (s.name !== filter.name) continue;
      if (filter.agent !== undefined && s.agent !== filter.agent) continue;
      if (!labelsMatch(s.labels, filter.labels)) continue;
      out.push(s);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Every series held (for the list of metrics on a host, and the latest values). */
  all(): WindowSeries[] {
    return [...this.map.values()];
  }

  /** The newest point of every series (for tables and cards). */
  latest(): { agent: string; name: string; labels: Labels; ts: number; value: number }[] {
    const out: { agent: string; name: string; labels: Labels; ts: number; value: number }[] = [];
    for (const s of this.map.values()) {
      const last = s.points[s.points.length - 1];
      if (last) out.push({ agent: s.agent, name: s.name, labels: s.labels, ts: last[0], value: last[1] });
    }
    return out;
  }

  /** Forgets everything (on a range change that reloads history). */
  clear(): void {
    this.map.clear();
    this.version++;
  }
}

function insertSorted(pts: [number, number][], ts: number, value: number): void {
  let lo = 0;
  let hi = pts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pts[mid] as [number, number])[0] < ts) lo = mid + 1;
    else hi = mid;
  }
  const at = pts[lo];
  if (at && at[0] === ts) at[1] = value;
  else pts.splice(lo, 0, [ts, value]);
}
