/**
 * The capacity row's words: each /api/v1/capacity row as what a person reads, "GPU 0 memory
 * 52.0 GiB of 80.0 GiB · full in 14.0 h (13.1–15.2 h)", with a tone (ok, warn when a limit is
 * near). Pure.
 */
import { formatAge, formatBytes, formatPercent, formatSeconds, NONE } from '../format/units.ts';
import type { CapacityResult, CapacityRow, Reach } from './analytics-types.ts';

/** One chip of the row. */
export interface CapacityLine {
  readonly title: string;
  readonly now: string;
  readonly outlook: string;
  readonly tone: 'ok' | 'warn' | 'bad';
  /** The full name behind a shortened title (a GPU's uuid). */
  readonly hint: string;
}

/** "GPU-…-000000000001" as "GPU …0001": uuids do not fit a chip; the hint keeps the whole. */
export function shortGpu(id: string): string {
  const m = /^GPU-[0-9a-fA-F-]{32,}$/.exec(id);
  return m ? `GPU …${id.slice(-4)}` : `GPU ${id}`;
}

const WARN_WITHIN = 6 * 3_600_000;
const BAD_WITHIN = 3_600_000;

const usd = (v: number): string => `$${v < 10 ? v.toFixed(2) : v.toFixed(0)}`;

function value(row: CapacityRow, v: number): string {
  switch (row.unit) {
    case 'bytes': return formatBytes(v);
    case 'ratio': return formatPercent(v, 0);
    case 'usd': return usd(v);
    case 'seconds': return formatSeconds(v);
  }
}

/** "full in 3.0 h (2.1 h–5.0 h)", "full in 3.0 h (from 2.1 h)" when the late bound lies past the horizon, "full now", or "not full within 1.0 d". */
export function reachText(reach: Reach, horizonMs: number, verb: string): string {
  if (reach.expected === null) return reach.earliest === null ? `not ${verb} within ${formatAge(horizonMs)}` : `${verb} in more than ${formatAge(horizonMs)} (from ${formatAge(reach.earliest)})`;
  if (reach.expected === 0) return `${verb} now`;
  const earliest = reach.earliest === null ? NONE : formatAge(reach.earliest);
  const range = reach.latest === null ? `from ${earliest}` : `${earliest}–${formatAge(reach.latest)}`;
  return `${verb} in ${formatAge(reach.expected)} (${range})`;
}

function tone(reach: Reach | null): CapacityLine['tone'] {
  const soonest = reach?.earliest ?? reach?.expected ?? null;
  if (soonest === null) return 'ok';
  return soonest <= BAD_WITHIN ? 'bad' : soonest <= WARN_WITHIN ? 'warn' : 'ok';
}

/** The lines of one host's capacity answer, in the answer's order. */
export function capacityLines(r: CapacityResult): CapacityLine[] {
  const level = `${Math.round(r.level * 100)} %`;
  return r.rows.map((row): CapacityLine => {
    switch (row.kind) {
      case 'gpu_memory':
        return { title: `${shortGpu(row.labels['hw.id'] ?? row.label)} memory`, now: `${value(row, row.current)} of ${row.limit === null ? NONE : value(row, row.limit)}`, outlook: row.reach ? reachText(row.reach, r.horizonMs, 'full') : NONE, tone: tone(row.reach), hint: row.labels['hw.id'] ?? row.label };
      case 'kv_cache':
        return { title: `KV cache ${row.label}`, now: value(row, row.current), outlook: row.reach ? reachText(row.reach, r.horizonMs, 'full') : NONE, tone: tone(row.reach), hint: row.labels['server.address'] ?? row.label };
      case 'probe_spend': {
        const a = row.ahead;
        const midnight = a ? `${usd(a.value)} by midnight UTC (${usd(a.lower)}–${usd(a.upper)}, ${level})` : NONE;
        const budget = row.limit === null ? 'no budget set' : `budget ${usd(row.limit)}: ${row.reach ? reachText(row.reach, Math.max(0, (a?.at ?? r.now) - r.now), 'spent') : NONE}`;
        return { title: 'Probe spend', now: `${usd(row.current)} today`, outlook: `${midnight} · ${budget}`, tone: tone(row.reach), hint: 'sigmascope.probe.cost of every probe target' };
      }
      case 'latency': {
        const a = row.ahead;
        const trend = row.trendPerHour === undefined ? '' : ` · ${row.trendPerHour >= 0 ? '+' : '−'}${Math.abs(row.trendPerHour * 100).toFixed(1)} %/h`;
        return { title: `TTFT ${row.label}`, now: value(row, row.current), outlook: a ? `in 1 h ${value(row, a.value)} (${value(row, a.lower)}–${value(row, a.upper)})${trend}` : NONE, tone: 'ok', hint: 'time to first chunk, 10-minute means' };
      }
    }
  });
}
