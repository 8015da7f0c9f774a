import { describe, expect, it } from 'vitest';
import { BatchBuilder, readBatch } from '@sigmascope/protocol/batch';
import { series, seriesKey } from '@sigmascope/protocol/series';
import type { Labels } from '@sigmascope/protocol/series';
import { AdmissionMemory, SeriesAdmission } from './series-admission.ts';
import type { SeriesCounts } from './series-admission.ts';

/** The store's side, in memory: series become committed when `commit` is called. */
class CommittedSeries implements SeriesCounts {
  readonly keys = new Map<string, Set<string>>();
  seriesCount(agent?: string): number {
    if (agent !== undefined) return this.keys.get(agent)?.size ?? 0;
    let n = 0;
    for (const k of this.keys.values()) n += k.size;
    return n;
  }
  hasSeries(agent: string, name: string, labels: Labels): boolean {
    return this.keys.get(agent)?.has(seriesKey(name, labels)) ?? false;
  }
  commit(agent: string, keys: readonly string[]): void {
    const set = this.keys.get(agent) ?? new Set<string>();
    for (const k of keys) set.add(k);
    this.keys.set(agent, set);
  }
}

const frame = (seq: number, ids: readonly number[]) => {
  const b = new BatchBuilder();
  for (const i of ids) b.add(series('m.x', { i: String(i) }), 1_763_900_000_000, i);
  b.addEvent({ kind: 'lifecycle', ts: 1_763_900_000_000, what: 'boot' });
  return b.seal(seq, 1_763_900_000_000);
};
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, k) => from + k);

describe('SeriesAdmission', () => {
  it('counts a new series reserved by a queued frame once, and refuses exactly what is beyond the per-agent cap', () => {
    const store = new CommittedSeries();
    const admission = new SeriesAdmission({ maxPerAgent: 5, maxTotal: 100 }, store);
    const memory = new AdmissionMemory();
    const r1: string[] = [];
    expect(admission.admit('a', frame(1, range(0, 3)), memory, r1)).toBeNull();
    // Before frame 1 commits, frame 2 repeats its series and adds four new ones: two fit.
    const r2: string[] = [];
    const second = admission.admit('a', frame(2, range(0, 7)), memory, r2);
    expect(second).toMatchObject({ refusedSeries: 2, refusedSamples: 2 });
    expect(readBatch(second?.frame ?? frame(0, [])).map((s) => s.labels.i)).toEqual(['0', '1', '2', '3', '4']);
    expect(second?.frame.ev).toHaveLength(1);
    store.commit('a', r1);
    store.commit('a', r2);
    admission.settle('a', r1);
    admission.settle('a', r2);
    expect(store.seriesCount('a')).toBe(5);
    // At the cap, known series pass and the dictionary is remembered; new ones are refused.
    expect(admission.admit('a', frame(3, range(0, 5)), memory, [])).toBeNull();
    expect(admission.admit('a', frame(4, [9]), memory, [])).toMatchObject({ refusedSeries: 1 });
  });

  it('refuses beyond the total cap whichever agent asks, and frees reservations a failed commit held', () => {
    const store = new CommittedSeries();
    const admission = new SeriesAdmission({ maxPerAgent: 10, maxTotal: 12 }, store);
    const ra: string[] = [];
    expect(admission.admit('a', frame(1, range(0, 10)), new AdmissionMemory(), ra)).toBeNull();
    const rb: string[] = [];
    expect(admission.admit('b', frame(1, range(0, 5)), new AdmissionMemory(), rb)).toMatchObject({ refusedSeries: 3 });
    // Agent a's frame failed to commit: its reservations go, and b's next frame gets the room.
    admission.settle('a', ra);
    store.commit('b', rb);
    admission.settle('b', rb);
    expect(admission.admit('b', frame(2, range(0, 12)), new AdmissionMemory(), [])).toMatchObject({ refusedSeries: 2 });
  });
});
