/**
 * `GET /api/v1/energy`: joules per output token per host and served model over a window
 * (protocol/src/energy): the host's GPU power (`hw.gpu.power.draw`, every GPU) against its
 * inference server's output-token counter (`sigmascope.inference.output_tokens`), in batches of
 * about a thirtieth of the window (`batch=MS` to choose), with a 95 % interval. Raw points up to
 * two hours; longer windows read bucket means.
 */
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { energyPerToken } from '@sigmascope/protocol/energy/energy-per-token';
import type { TimedValues } from '@sigmascope/protocol/energy/energy-per-token';
import { Label, Metric } from '@sigmascope/protocol/metrics';
import { intParam, timeWindow } from '../api/params.ts';
import type { EnergyRow } from '@sigmascope/protocol/energy-row';
import type { SeriesResult, Store } from '../store/store.ts';

const HOUR = 3_600_000;
const MAX_POINTS = 20_000;

const timed = (s: SeriesResult): TimedValues => ({ ts: s.points.map((p) => p[0]), values: s.points.map((p) => p[1]) });

/** Energy rows of every agent (or one) with both GPU power and token counters in [from, to]. */
export function energyRows(store: Store, from: number, to: number, agent?: string, batchMs?: number): EnergyRow[] {
  const span = to - from;
  const stepMs = span <= 2 * HOUR ? undefined : Math.max(10_000, Math.ceil(span / MAX_POINTS / 10_000) * 10_000);
  // Servers may be scraped every few seconds (probes.inference[].intervalMs): 30 s is a hole.
  const maxGapMs = Math.max(30_000, 2.5 * (stepMs ?? 0));
  // Read a gap's worth beyond the window, so its first and last minutes have points at their edges.
  const read = (name: string): SeriesResult[] => store.series({ name, labels: {}, ...(agent !== undefined ? { agent } : {}), from: from - maxGapMs, to: to + maxGapMs, maxPoints: MAX_POINTS, maxSeries: 500, ...(stepMs !== undefined ? { stepMs } : {}) });
  const counters = read(Metric.inferenceOutputTokens);
  if (counters.length === 0) return [];
  const power = read(Metric.gpuPowerDraw);
  const out: EnergyRow[] = [];
  for (const a of [...new Set(counters.map((c) => c.agent))].sort()) {
    const gpus = power.filter((p) => p.agent === a).map(timed);
    const byModel = new Map<string, TimedValues[]>();
    const provider = new Map<string, string>();
    for (const c of counters.filter((x) => x.agent === a)) {
      const model = c.labels[Label.genAiModel] ?? '';
      byModel.set(model, [...(byModel.get(model) ?? []), timed(c)]);
      provider.set(model, c.labels[Label.genAiProvider] ?? '');
    }
    // Bucket means stand a step apart: a gap is more than two of them.
    // About 30 batches over the window by default (15 min: 30 s), so the interval rests on enough of them.
    const batch = batchMs ?? Math.max(10_000, 6 * (stepMs ?? 0), Math.min(HOUR, Math.round(span / 30 / 10_000) * 10_000));
    const host = energyPerToken(gpus, byModel, { from, to, batchMs: batch, maxGapMs });
    for (const m of host.models) {
      out.push({
        agent: a, provider: provider.get(m.model) ?? '', model: m.model, joulesPerToken: m.joulesPerToken, interval: m.interval, level: host.level,
        tokensPerSecond: m.tokensPerSecond, tokens: m.tokens, joules: m.joules, watts: host.watts, gpus: gpus.length, coveredMs: host.coveredMs, shared: m.shared,
      });
    }
  }
  return out;
}

export function registerEnergyRoute(app: Hono<{ Bindings: HttpBindings }>, store: Store): void {
  app.get('/api/v1/energy', (c) => {
    const q = c.req.query();
    const { from, to } = timeWindow(q, HOUR);
    const batchMs = q.batch === undefined ? undefined : intParam(q.batch, 'batch', 10_000, HOUR);
    return c.json({ from, to, rows: energyRows(store, from, to, q.agent, batchMs) });
  });
}
