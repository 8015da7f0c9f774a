/**
 * The daily capability report: for every SLO (slo-config.ts) and every provider × model × host
 * that probed it in the window, the day's completed probes charted as individuals (one point
 * per probe, σ within = mean moving range / 1.128, qcc's convention) and measured against the
 * SLO's spec limits by protocol/src/spc: Cp, Cpk (within σ) and Pp, Ppk (overall SD). Failed
 * probes (`error.type`) are not latencies and are left out; `outOfSpec` counts the probes
 * beyond a limit, in the metric's own unit.
 */
import type { CapabilityReport, CapabilityRow } from '@sigmascope/protocol/capability-report';
import { Label } from '@sigmascope/protocol/metrics';
import { spcChart } from '@sigmascope/protocol/spc/chart';
import { concatPoints } from '../store/store.ts';
import type { TimeSeriesReader } from '../store/store.ts';
import type { SloConfig } from './slo-config.ts';

const MAX_SERIES = 100_000;

/** The UTC day containing `ms`, as YYYY-MM-DD. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The report of one UTC day (`day` as YYYY-MM-DD): [midnight, next midnight). */
export function capabilityReport(reader: TimeSeriesReader, hostOf: (agent: string) => string, slos: readonly SloConfig[], day: string, now: number): CapabilityReport {
  const from = Date.parse(`${day}T00:00:00.000Z`);
  const to = from + 86_400_000;
  const rows: CapabilityRow[] = [];
  for (const slo of slos) {
    const groups = new Map<string, { agent: string; provider: string; model: string; ids: number[] }>();
    const found = reader.findSeries(slo.metric, (s) => s.labels[Label.errorType] === undefined && s.labels[Label.genAiProvider] === slo.provider && (slo.model === null || s.labels[Label.genAiModel] === slo.model), MAX_SERIES);
    for (const s of found.series) {
      const model = s.labels[Label.genAiModel] ?? '';
      const key = `${s.agent}\u0000${model}`;
      const g = groups.get(key) ?? { agent: s.agent, provider: slo.provider, model, ids: [] };
      g.ids.push(s.id);
      groups.set(key, g);
    }
    for (const g of [...groups.values()].sort((a, b) => a.model.localeCompare(b.model) || hostOf(a.agent).localeCompare(hostOf(b.agent)))) {
      const points = concatPoints(g.ids.map((id) => reader.raw(id, from, to - 1)));
      const order = [...points.ts.keys()].sort((a, b) => (points.ts[a] as number) - (points.ts[b] as number));
      const values = order.map((i) => points.values[i] as number).filter((v) => Number.isFinite(v) && (slo.transform === 'none' || v > 0));
      rows.push(row(slo, g, hostOf(g.agent), values));
    }
  }
  return { day, from, to, generatedAt: now, slos, rows };
}

function row(slo: SloConfig, g: { agent: string; provider: string; model: string }, host: string, values: number[]): CapabilityRow {
  const outOfSpec = values.filter((v) => (slo.lsl !== null && v < slo.lsl) || (slo.usl !== null && v > slo.usl)).length;
  const base = { provider: g.provider, model: g.model, agent: g.agent, host, metric: slo.metric, transform: slo.transform, lsl: slo.lsl, usl: slo.usl, n: values.length, outOfSpec };
  const none = { mean: null, sigmaWithin: null, sdOverall: null, cp: null, cpk: null, pp: null, ppk: null };
  if (values.length < 2) return { ...base, ...none, error: `${values.length} probe${values.length === 1 ? '' : 's'}: capability needs at least 2` };
  const spec = { ...(slo.lsl !== null ? { lsl: slo.lsl } : {}), ...(slo.usl !== null ? { usl: slo.usl } : {}), ...(slo.target !== null ? { target: slo.target } : {}) };
  const chart = spcChart(values, { chart: 'individuals', transform: slo.transform, spec });
  if (!chart.ok) return { ...base, ...none, error: `${chart.where}: ${chart.error}` };
  const c = chart.chart.capability;
  return { ...base, mean: chart.chart.center, sigmaWithin: chart.chart.sigma, sdOverall: c?.overallSd ?? null, cp: c?.cp ?? null, cpk: c?.cpk ?? null, pp: c?.pp ?? null, ppk: c?.ppk ?? null };
}
