/**
 * The remote-write oracle: what the collector stored for an agent over a window, and what an
 * engine holds for it, series by series (the Prometheus names of the collector's series), so a
 * test can assert the same count and the same timestamps and values.
 */
import { expect } from 'vitest';
import { AgentInfoMetric } from '../../collector/src/export/agent-info.ts';
import { prometheusLabelName, prometheusMetricName } from '../../collector/src/export/prometheus-names.ts';
import type { CollectorHandle } from './fleet.ts';
import { getJson, waitFor } from './processes.ts';
import { rawSamples } from './tsdb.ts';
import type { Engine } from './tsdb.ts';

interface SeriesJson {
  series: { agent: string; name: string; labels: Record<string, string>; points: [number, number][] }[];
}

/** The key of a series as the engine names it (agent and host labels left out). */
export function promKey(name: string, labels: Record<string, string>): string {
  const l = Object.entries(labels).map(([k, v]) => [prometheusLabelName(k), v] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return `${prometheusMetricName(name)}{${l.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

/** Every raw point the collector stored for `agent` in [from, to], by Prometheus key. */
export async function collectorSamples(c: CollectorHandle, agent: string, from: number, to: number): Promise<Map<string, [number, number][]>> {
  const { names } = await getJson<{ names: string[] }>(c.url('/api/v1/query/metrics'), c.viewerToken);
  const out = new Map<string, [number, number][]>();
  for (const name of names) {
    const r = await getJson<SeriesJson>(c.url(`/api/v1/series?name=${encodeURIComponent(name)}&agent=${encodeURIComponent(agent)}&from=${from}&to=${to}`), c.viewerToken);
    for (const s of r.series) out.set(promKey(s.name, s.labels), s.points);
  }
  return out;
}

/** Every raw sample the engine holds for `agent` in [from, to] (the collector-made agent info left out), by key. */
export async function engineSamples(engine: Engine, agent: string, from: number, to: number): Promise<Map<string, [number, number][]>> {
  const info = Object.values(AgentInfoMetric).map(prometheusMetricName).join('|');
  const rows = await rawSamples(engine, `{agent=${JSON.stringify(agent)},__name__!~"${info}"}`, from, to);
  const out = new Map<string, [number, number][]>();
  for (const r of rows) {
    const { __name__: name = '', agent: _a, host: _h, ...labels } = r.metric;
    const key = `${name}{${Object.entries(labels).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    out.set(key, r.ts.map((t, i) => [t, r.values[i] as number]));
  }
  return out;
}

/**
 * The engine's samples for `agent` once it shows as many as the collector stored (an engine makes
 * what it took searchable a moment later: VictoriaMetrics within about a second), or after 30 s
 * whatever it shows, for the comparison to report.
 */
export async function engineSamplesSettled(engine: Engine, agent: string, from: number, to: number, stored: Map<string, [number, number][]>): Promise<Map<string, [number, number][]>> {
  let want = 0;
  for (const p of stored.values()) want += p.length;
  let last = new Map<string, [number, number][]>();
  try {
    return await waitFor('the engine to show every sample', async () => {
      last = await engineSamples(engine, agent, from, to);
      let n = 0;
      for (const p of last.values()) n += p.length;
      return n >= want ? last : undefined;
    }, 30_000, 500);
  } catch {
    return last;
  }
}

/** Waits until the collector's export streams have nothing pending. */
export async function exportCaughtUp(c: CollectorHandle): Promise<void> {
  await waitFor('the export to catch up', async () => {
    const s = await getJson<{ export: { pendingRecords: number }[] }>(c.url('/api/v1/stats'), c.viewerToken);
    return s.export.length > 0 && s.export.every((e) => e.pendingRecords === 0) ? true : undefined;
  }, 60_000, 250);
}

/**
 * Same series, same count, same timestamps, same values; returns the number of samples compared.
 * `valuePrecision`: VictoriaMetrics stores a float as a decimal mantissa (12 to 14 significant
 * digits survive), so its values are compared to a relative 1e-11; Prometheus keeps every bit.
 */
export function expectSameSamples(stored: Map<string, [number, number][]>, engine: Map<string, [number, number][]>, valuePrecision: 'exact' | 'decimal12' = 'exact'): number {
  expect([...engine.keys()].sort(), 'the engine holds the same series').toEqual([...stored.keys()].sort());
  let n = 0;
  for (const [key, points] of stored) {
    const got = engine.get(key) ?? [];
    expect(got.length, `${key}: sample count`).toBe(points.length);
    expect(got.map((p) => p[0]), `${key}: timestamps`).toEqual(points.map((p) => p[0]));
    if (valuePrecision === 'exact') expect(got.map((p) => p[1]), `${key}: values`).toEqual(points.map((p) => p[1]));
    else got.forEach(([, v], i) => expect(Math.abs(v - (points[i] as [number, number])[1]), `${key}: value ${i}`).toBeLessThanOrEqual(1e-11 * Math.abs((points[i] as [number, number])[1])));
    n += points.length;
  }
  return n;
}
