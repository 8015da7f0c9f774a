/**
 * SPC violations by series and time: stored violation events grouped per (agent, series) with a
 * count per time bucket and per rule, newest series activity first.
 */
import { seriesKey } from '@sigmascope/protocol/series';
import type { StoredEvent } from '../store/store.ts';

export interface ViolationSeriesRow {
  readonly agent: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly total: number;
  readonly open: number;
  readonly lastTs: number;
  readonly byRule: Record<string, number>;
  /** [bucket start, count] ascending. */
  readonly buckets: [number, number][];
}

export function violationsBySeries(events: readonly StoredEvent[], bucketMs: number): ViolationSeriesRow[] {
  const rows = new Map<string, { agent: string; name: string; labels: Record<string, string>; total: number; open: number; lastTs: number; byRule: Record<string, number>; buckets: Map<number, number> }>();
  for (const e of events) {
    const ev = e.event as unknown as { ts: number; name?: string; labels?: Record<string, string>; rule?: number | string };
    const name = ev.name ?? '';
    const labels = ev.labels ?? {};
    const key = `${e.agent}\u0000${seriesKey(name, labels)}`;
    let r = rows.get(key);
    if (r === undefined) rows.set(key, (r = { agent: e.agent, name, labels, total: 0, open: 0, lastTs: ev.ts, byRule: {}, buckets: new Map() }));
    r.total++;
    if (e.state === 'open') r.open++;
    if (ev.ts > r.lastTs) r.lastTs = ev.ts;
    const rule = String(ev.rule ?? '');
    r.byRule[rule] = (r.byRule[rule] ?? 0) + 1;
    const b = Math.floor(ev.ts / bucketMs) * bucketMs;
    r.buckets.set(b, (r.buckets.get(b) ?? 0) + 1);
  }
  return [...rows.values()]
    .sort((a, b) => b.lastTs - a.lastTs)
    .map((r) => ({ ...r, buckets: [...r.buckets.entries()].sort((x, y) => x[0] - y[0]) }));
}
