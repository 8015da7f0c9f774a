/**
 * Incident signatures from a real store and the two-stage search in SQLite + sqlite-vec: past
 * incidents of three shapes (a provider's TTFT slowing at every agent, one host's GPUs saturating,
 * one agent's TLS times rising) are indexed; a new incident of each shape finds the past ones of
 * its own shape first, and never itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import type { Incident, IncidentCause } from '@sigmascope/protocol/incident';
import { seededNormal } from '@sigmascope/protocol/spc/seeded-normal';
import { ChunkedStore } from '../store/chunked-store.ts';
import { SignatureRows } from '../store/rows/signature-rows.ts';
import { openDatabase } from '../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../tests/support/scratch-dirs.ts';
import { incidentSignature, SIGNATURE_LENGTH } from './incident-signature.ts';
import { IncidentSimilarity } from './incident-similarity.ts';

const dirs = scratchDirs('incident-similarity-');
const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 1);
const AGENTS = ['gpu-01', 'gpu-02', 'gpu-03'];
const OPENAI = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.operation.name': 'chat' };

type Shape = 'provider' | 'host' | 'network';

/** 50 minutes of per-minute points per agent, the shape's fault from minute 40 on. */
function episode(store: ChunkedStore, start: number, shape: Shape, seq: { n: number }, rnd: () => number): void {
  for (const agent of AGENTS) {
    const s = new Map<string, { name: string; labels: Record<string, string>; ts: number[]; values: number[] }>();
    const put = (name: string, labels: Record<string, string>, t: number, v: number): void => {
      const k = `${name}${JSON.stringify(labels)}`;
      const x = s.get(k) ?? { name, labels, ts: [], values: [] };
      s.set(k, x);
      x.ts.push(t);
      x.values.push(v);
    };
    for (let m = 0; m < 50; m++) {
      for (let q = 0; q < 4; q++) {
        const t = start + m * MIN + q * 15_000;
        const fault = m >= 40;
        const tls = 0.03 * Math.exp(0.1 * rnd()) * (shape === 'network' && fault && agent === 'gpu-02' ? 4 : 1);
        put('sigmascope.probe.tls.duration', OPENAI, t, tls);
        put('gen_ai.client.operation.time_to_first_chunk', OPENAI, t, 0.35 * Math.exp(0.1 * rnd()) * (shape === 'provider' && fault ? 3 : 1) + tls);
        put('hw.gpu.utilization', { 'hw.id': '0', 'hw.type': 'gpu' }, t, Math.min(1, 0.5 + 0.05 * rnd() + (shape === 'host' && fault && agent === 'gpu-01' ? 0.48 : 0)));
        put('hw.gpu.temperature', { 'hw.id': '0', 'hw.type': 'gpu' }, t, Math.round(60 + rnd() + (shape === 'host' && fault && agent === 'gpu-01' ? 20 : 0)));
      }
    }
    const series: BatchSeries[] = [...s.values()].map((x) => ({ name: x.name, labels: x.labels, ts: Float64Array.from(x.ts), values: Float64Array.from(x.values) }));
    store.storeBatch(agent, 'main', ++seq.n, series, [], start);
  }
}

function incident(id: string, start: number, shape: Shape): Incident {
  const cause: IncidentCause = shape;
  const agents = shape === 'provider' ? AGENTS : shape === 'host' ? ['gpu-01'] : ['gpu-02'];
  return {
    id, state: 'resolved', startedAt: start + 40 * MIN, openedAt: start + 42 * MIN, resolvedAt: start + 60 * MIN, cause, confidence: 0.9,
    scope: { provider: shape === 'host' ? null : 'openai', model: shape === 'host' ? null : 'gpt-4o-mini', agents }, summary: `${shape} incident ${id}`, evidence: [], note: `fixed ${id}`,
  };
}

const stores: ChunkedStore[] = [];
afterAll(() => stores.forEach((s) => s.close()));

describe('incident similarity', () => {
  it('finds past incidents of the same shape first, with their notes, never the incident itself', () => {
    const { db } = openDatabase(dirs());
    const store = new ChunkedStore(db);
    stores.push(store);
    const rows = new SignatureRows(db);
    const sim = new IncidentSimilarity(rows, store);
    const rnd = seededNormal(17);
    const seq = { n: 0 };
    const shapes: Shape[] = ['provider', 'host', 'network', 'provider', 'host', 'network', 'provider', 'host', 'network'];
    const past = shapes.map((shape, i) => {
      const start = T0 + i * 2 * 3_600_000;
      episode(store, start, shape, seq, rnd);
      return incident(`inc-${i}`, start, shape);
    });
    for (const p of past) expect(sim.index(p).kindsSeen).toBeGreaterThanOrEqual(3);
    expect(rows.count()).toBe(9);
    // Indexing again replaces, never duplicates.
    sim.index(past[0] as Incident);
    expect(rows.count()).toBe(9);

    for (const [k, shape] of (['provider', 'host', 'network'] as Shape[]).entries()) {
      const start = T0 + (20 + k) * 2 * 3_600_000;
      episode(store, start, shape, seq, rnd);
      const now = incident(`new-${shape}`, start, shape);
      sim.index(now);
      const found = sim.similar(now, 3);
      expect(found.map((f) => f.cause)).toEqual([shape, shape, shape]);
      expect(found.map((f) => f.incidentId)).not.toContain(now.id);
      expect(found[0]?.note).toMatch(/^fixed inc-\d$/);
      expect(found[0]?.distance).toBeLessThan(0.5);
    }
  });

  it('a window without data compares with nothing; the signature has its fixed length', () => {
    const { db } = openDatabase(dirs());
    const store = new ChunkedStore(db);
    stores.push(store);
    const sim = new IncidentSimilarity(new SignatureRows(db), store);
    const empty = incident('lonely', T0, 'provider');
    expect(sim.similar(empty, 5)).toEqual([]);
    const sig = incidentSignature(empty, store);
    expect(sig.embedding).toHaveLength(SIGNATURE_LENGTH);
    expect(sig.bits).toHaveLength(SIGNATURE_LENGTH / 4);
    expect(sig.kindsSeen).toBe(0);
  });
});
