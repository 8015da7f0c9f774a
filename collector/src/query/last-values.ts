/** Last value per series for the fleet: the newest point of every matching series. */
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';

export interface LastValue {
  readonly agent: string;
  readonly name: string;
  readonly labels: SeriesRef['labels'];
  readonly ts: number;
  readonly value: number;
}

/** Series without any point are left out. */
export function lastValues(reader: TimeSeriesReader, series: readonly SeriesRef[]): LastValue[] {
  const out: LastValue[] = [];
  for (const s of series) {
    const p = reader.latest(s.id);
    if (p !== null) out.push({ agent: s.agent, name: s.name, labels: s.labels, ts: p[0], value: p[1] });
  }
  return out;
}
