/**
 * `spcChart`: the one call the collector API, the CLI and the agent's tests make. Pure and
 * deterministic; the result is plain JSON (no NaN, no Infinity).
 *
 *   values ─(log?)─> plotted points (values, or means of rational subgroups)
 *          ─> Phase I: centre and σ from the first `phase1` points (or given)
 *          ─> Phase II: the same frozen limits for every later point
 *          ─> rules over all points; capability over the Phase I observations
 *          ─> the dispersion chart (MR, R or S) with limits from the same σ
 *          ─> for a log chart: centre and limits back in the data's units (inUnits)
 */
import { backTransform, type BackTransformed } from './back-transform.ts';
import { capability as capabilityOf, type Capability, type SpecLimits } from './capability.ts';
import { dispersionChart, movingRanges, type DispersionChart } from './dispersion.ts';
import { MAX_SUBGROUP, MIN_SUBGROUP, isSubgroupSize } from './constants.ts';
import { estimate, subgroup, type ChartType, type Subgroup } from './estimate.ts';
import { evaluateRules } from './evaluate.ts';
import { NELSON_RULES, type RuleId } from './rules.ts';

/** Transforms a chart can apply to the values before anything else. */
export const TRANSFORMS = ['none', 'log'] as const;
/** `log`: natural log of every value (and of the spec limits) before charting; values must be > 0. */
export type Transform = (typeof TRANSFORMS)[number];

/** What to chart and how; every field is optional (an individuals chart of all values, Nelson rules). */
export interface SpcChartOptions {
  /** Default: `individuals` without subgroups, `xbar-r` with them. */
  readonly chart?: ChartType;
  /** Consecutive subgroups of this many values (2..25); a shorter last subgroup is kept. */
  readonly subgroup?: number;
  /** A subgroup label per value; equal labels form one subgroup, in order of first appearance. */
  readonly groups?: readonly (string | number)[];
  /** Limits from the first `phase1` plotted points; rules run over all points. Default: all. */
  readonly phase1?: number;
  /** Given centre (chart units): replaces the Phase I estimate. */
  readonly center?: number;
  /** Given process σ (chart units, before dividing by √n): replaces the Phase I estimate. */
  readonly sigma?: number;
  /** Default: Nelson rules 1–8. */
  readonly rules?: readonly RuleId[];
  /** Spec limits in the data's own units (transformed with the data). Capability only when given. */
  readonly spec?: SpecLimits;
  readonly transform?: Transform;
  /** Timestamps (ms) parallel to `values`; a subgroup's point takes its latest. */
  readonly ts?: readonly number[];
  /**
   * A last consecutive subgroup shorter than `subgroup`: `keep` charts it with its own limits
   * (the default; one value alone is an error), `drop` leaves it out (a live series whose next
   * subgroup is still filling) and counts it in `dropped`.
   */
  readonly incomplete?: 'keep' | 'drop';
}

/** One plotted point: a value, or the mean of a subgroup, with its own limits. */
export interface SpcPoint {
  readonly value: number;
  readonly size: number;
  readonly lcl: number;
  readonly ucl: number;
  readonly phase: 1 | 2;
  readonly ts?: number;
}

/** A rule firing at plotted point `index` (0-based into `points`). */
export interface SpcViolation {
  readonly rule: RuleId;
  readonly index: number;
  readonly value: number;
}

/** A computed chart: parameters, limits, points and violations, all in chart units. JSON-safe. */
export interface SpcChart {
  readonly chart: ChartType;
  readonly transform: Transform;
  readonly center: number;
  /** Process σ (of one observation), not the standard error of a subgroup mean. */
  readonly sigma: number;
  /** Control limits at `size` (the common subgroup size; 1 for individuals). */
  readonly lcl: number;
  readonly ucl: number;
  readonly size: number;
  /** The 1σ, 2σ and 3σ bands at `size`, as [low, high]. */
  readonly zones: { readonly sigma1: readonly [number, number]; readonly sigma2: readonly [number, number]; readonly sigma3: readonly [number, number] };
  /** Number of plotted points and how many of them formed the baseline. */
  readonly n: number;
  readonly phase1: number;
  readonly rules: readonly RuleId[];
  readonly points: readonly SpcPoint[];
  readonly violations: readonly SpcViolation[];
  readonly capability?: Capability;
  /** The MR (individuals), R (X̄-R) or S (X̄-S) chart of the same points, limits from the same σ. */
  readonly dispersion: DispersionChart;
  /** Values left out as an incomplete last subgroup (`incomplete: 'drop'`). */
  readonly dropped: number;
  /** With the log transform: centre, limits and zones in the data's units, σ as a factor. */
  readonly inUnits?: BackTransformed;
}

/** `where` names the option at fault (`values`, `subgroup`, `phase1`, `sigma`, `lsl`, …). */
export type SpcChartResult = { readonly ok: true; readonly chart: SpcChart } | { readonly ok: false; readonly where: string; readonly error: string };

/** Charts `values`. Expected problems (bad options, too few points) come back as `ok: false`. */
export function spcChart(values: readonly number[], options: SpcChartOptions = {}): SpcChartResult {
  const fail = (where: string, error: string): SpcChartResult => ({ ok: false, where, error });
  const transform = options.transform ?? 'none';
  if (options.ts !== undefined && options.ts.length !== values.length) return fail('ts', `${options.ts.length} timestamps for ${values.length} values`);
  if (options.groups !== undefined && options.groups.length !== values.length) return fail('groups', `${options.groups.length} labels for ${values.length} values`);
  if (values.length === 0) return fail('values', 'no values');
  const data: number[] = [];
  for (const [i, v] of values.entries()) {
    if (!Number.isFinite(v)) return fail('values', `value ${i + 1} is not a finite number`);
    if (transform === 'log' && !(v > 0)) return fail('values', `value ${i + 1} is ${v}: the log transform needs values > 0`);
    data.push(transform === 'log' ? Math.log(v) : v);
  }

  const grouped = options.subgroup !== undefined || options.groups !== undefined;
  const chart: ChartType = options.chart ?? (grouped ? 'xbar-r' : 'individuals');
  if (chart === 'individuals' && grouped) return fail('chart', 'an individuals chart takes no subgroups');
  if (chart !== 'individuals' && !grouped) return fail('subgroup', `a ${chart} chart needs subgroups`);
  if (options.subgroup !== undefined && !isSubgroupSize(options.subgroup)) {
    return fail('subgroup', `${options.subgroup} is not a subgroup size in ${MIN_SUBGROUP}..${MAX_SUBGROUP}`);
  }
  let members = chart === 'individuals' ? data.map((_, i) => [i]) : partition(data.length, options.subgroup, options.groups);
  let dropped = 0;
  const lastGroup = members[members.length - 1];
  if (options.incomplete === 'drop' && options.groups === undefined && options.subgroup !== undefined && lastGroup !== undefined && lastGroup.length < options.subgroup) {
    dropped = lastGroup.length;
    members = members.slice(0, -1);
    if (members.length === 0) return fail('values', `${values.length} values do not fill one subgroup of ${options.subgroup}`);
  }
  const groups: Subgroup[] = [];
  for (const [k, m] of members.entries()) {
    if (chart === 'individuals') continue;
    if (!isSubgroupSize(m.length)) return fail('subgroup', `subgroup ${k + 1} has ${m.length} values; sizes must be ${MIN_SUBGROUP}..${MAX_SUBGROUP}`);
    groups.push(subgroup(m.map((i) => data[i] as number)));
  }
  const stats = chart === 'individuals' ? data : groups.map((g) => g.mean);
  const sizes = chart === 'individuals' ? data.map(() => 1) : groups.map((g) => g.size);
  const n = stats.length;

  const phase1 = options.phase1 ?? n;
  if (!Number.isInteger(phase1) || phase1 < 1 || phase1 > n) return fail('phase1', `${phase1} is not a number of points in 1..${n}`);
  if (chart === 'individuals' && phase1 < 2 && options.sigma === undefined) return fail('phase1', 'the moving range needs at least 2 baseline points');
  if (options.sigma !== undefined && !(Number.isFinite(options.sigma) && options.sigma >= 0)) return fail('sigma', `${options.sigma} is not a σ ≥ 0`);
  if (options.center !== undefined && !Number.isFinite(options.center)) return fail('center', `${options.center} is not a finite centre`);

  const baselineValues = members.slice(0, phase1).flatMap((m) => m.map((i) => data[i] as number));
  const estimated = estimate(chart, chart === 'individuals' ? baselineValues : [], groups.slice(0, phase1));
  const center = options.center ?? estimated.center;
  const sigma = options.sigma ?? estimated.sigma;
  if (!Number.isFinite(center) || !Number.isFinite(sigma)) return fail('values', 'the values are too large to chart');

  const se = sizes.map((s) => sigma / Math.sqrt(s));
  const points: SpcPoint[] = stats.map((value, i) => {
    const e = se[i] as number;
    const last = options.ts === undefined ? undefined : Math.max(...(members[i] as number[]).map((j) => options.ts?.[j] as number));
    const p = { value, size: sizes[i] as number, lcl: center - 3 * e, ucl: center + 3 * e, phase: i < phase1 ? 1 : 2 } as const;
    return last === undefined ? p : { ...p, ts: last };
  });
  const rules = options.rules ?? NELSON_RULES;
  const violations = evaluateRules(stats, center, se, rules).map((v) => ({ ...v, value: stats[v.index] as number }));

  let capability: Capability | undefined;
  if (options.spec !== undefined) {
    const spec = transformSpec(options.spec, transform);
    if ('error' in spec) return fail(spec.where, spec.error);
    const c = capabilityOf(baselineValues, center, sigma, spec);
    if ('error' in c) return fail('lsl', c.error);
    capability = c;
  }

  const size = chart === 'individuals' ? 1 : (options.subgroup ?? commonest(sizes));
  const e = sigma / Math.sqrt(size);
  const band = (k: number): readonly [number, number] => [center - k * e, center + k * e];
  const zones = { sigma1: band(1), sigma2: band(2), sigma3: band(3) };
  const spreads = chart === 'individuals' ? movingRanges(stats) : groups.map((g) => (chart === 'xbar-r' ? g.range : g.sd));
  const dispersion = dispersionChart(chart === 'individuals' ? 'mr' : chart === 'xbar-r' ? 'r' : 's', spreads, sizes, sigma, size);
  const result: SpcChart = {
    chart,
    transform,
    center,
    sigma,
    lcl: center - 3 * e,
    ucl: center + 3 * e,
    size,
    zones,
    n,
    phase1,
    rules: [...rules],
    points,
    violations,
    ...(capability === undefined ? {} : { capability }),
    dispersion,
    dropped,
    ...(transform === 'log' ? { inUnits: backTransform({ center, sigma, lcl: center - 3 * e, ucl: center + 3 * e, zones }) } : {}),
  };
  return { ok: true, chart: result };
}

/** Indices of the values in each subgroup. */
function partition(count: number, size: number | undefined, labels: readonly (string | number)[] | undefined): number[][] {
  if (labels === undefined) {
    const out: number[][] = [];
    for (let i = 0; i < count; i += size as number) out.push(Array.from({ length: Math.min(size as number, count - i) }, (_, k) => i + k));
    return out;
  }
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const key = String(label);
    const list = byLabel.get(key);
    if (list === undefined) byLabel.set(key, [i]);
    else list.push(i);
  });
  return [...byLabel.values()];
}

/** The most frequent subgroup size (the larger on a tie): the size the headline limits describe. */
function commonest(sizes: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const s of sizes) counts.set(s, (counts.get(s) ?? 0) + 1);
  let best = sizes[0] as number;
  for (const [s, c] of counts) if (c > (counts.get(best) as number) || (c === counts.get(best) && s > best)) best = s;
  return best;
}

function transformSpec(spec: SpecLimits, transform: Transform): SpecLimits | { where: string; error: string } {
  if (transform === 'none') return spec;
  const out: { lsl?: number; usl?: number; target?: number } = {};
  for (const key of ['lsl', 'usl', 'target'] as const) {
    const v = spec[key];
    if (v === undefined) continue;
    if (!(v > 0)) return { where: key, error: `${v} must be > 0 with the log transform` };
    out[key] = Math.log(v);
  }
  return out;
}
