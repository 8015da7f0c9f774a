/**
 * `on: threshold`: a metric above (or below) a value for at least `for`, per series. Once firing,
 * a series clears only when its latest value is back at or past `recover` (hysteresis), so a
 * value hovering at the threshold does not flap. A series with no point for STALE_MS is no longer
 * a condition (its alert resolves: nothing says it is still hot).
 */
import { seriesMatcher } from '../../query/label-match.ts';
import type { Condition } from '../alert.ts';
import type { ThresholdRuleConfig } from '../config/rule-config.ts';
import { formatDuration } from '../config/duration.ts';
import { labelsKey } from '../label-matchers.ts';
import { agentNames, matchingSeries, formatValue } from './rule-evaluator.ts';
import type { RuleContext, RuleEvaluator } from './rule-evaluator.ts';

const STALE_MS = 120_000;
const MAX_SERIES = 100_000;

export function thresholdRule(config: ThresholdRuleConfig, ctx: RuleContext): RuleEvaluator {
  const matchers = Object.entries(config.labels).map(([label, value]) => ({ label, value, pattern: /[*?]/.test(value) }));
  const accept = seriesMatcher(matchers);
  const limit = config.above ?? (config.below as number);
  const side = config.above !== null ? 'above' : 'below';
  return {
    config,
    evaluate(now, firing) {
      const out: Condition[] = [];
      const name = agentNames(ctx.store);
      for (const s of matchingSeries(ctx.store, config.metric, accept, MAX_SERIES)) {
        const key = `${s.agent}\u0000${config.metric}{${labelsKey(s.labels)}}`;
        const held = firing(key);
        // Past the threshold to fire; not yet back to `recover` to stay firing.
        const bad = (v: number): boolean => (config.above !== null ? v > (held ? config.recover : limit) : v < (held ? config.recover : limit));
        // Most series are fine now: their newest point says so without reading the window.
        const newest = ctx.store.latest(s.id);
        if (newest === null || now - newest[0] > STALE_MS || !bad(newest[1])) continue;
        const { ts, values } = ctx.store.raw(s.id, now - config.forMs - STALE_MS, now);
        const n = ts.length;
        if (n === 0 || now - (ts[n - 1] as number) > STALE_MS) continue;
        let i = n - 1;
        while (i >= 0 && bad(values[i] as number)) i--;
        if (i === n - 1) continue;
        const since = ts[i + 1] as number;
        // When every point read is past it, the run began no later than the first one: still at least `for`.
        if (!held && (ts[n - 1] as number) - since < config.forMs) continue;
        const last = values[n - 1] as number;
        const where = Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ');
        out.push({
          key,
          labels: { ...s.labels, agent: s.agent, metric: config.metric },
          summary: `${config.metric} is ${formatValue(last)} on ${name(s.agent)}${where ? ` (${where})` : ''}, ${side} ${formatValue(limit)}${config.forMs > 0 ? ` for ${formatDuration(config.forMs)}` : ''}`,
          since,
        });
      }
      return out;
    },
  };
}
