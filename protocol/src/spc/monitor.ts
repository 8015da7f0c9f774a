/**
 * One live series under SPC: raw observations in, plotted points and their violations out.
 * The agent keeps one per watched series; the result equals `spcChart(values, {phase1: baseline})`
 * on the same observations, point for point.
 *
 *   baseline:   collect `baseline` plotted points (individuals or subgroup means) ──┐
 *   freeze:     centre and σ from them, exactly as spcChart estimates; replay them ─┤ rules
 *   monitoring: every new point against the frozen limits (Phase II) ───────────────┘ (RuleStream)
 *
 * Memory: the open subgroup (≤ 25 values) plus the baseline points until the freeze, then O(1).
 */
import { isSubgroupSize } from './constants.ts';
import { estimate, subgroup, type ChartType, type Subgroup } from './estimate.ts';
import { RuleStream } from './rule-stream.ts';
import type { RuleId } from './rules.ts';
import type { Transform } from './chart.ts';

/** How one series is charted; validated by the caller's config parser. */
export interface SpcMonitorOptions {
  readonly chart: ChartType;
  /** Observations per plotted point: 1 for individuals, 2..25 for X̄ charts. */
  readonly subgroup: number;
  /** Plotted points in the baseline (≥ 2 for individuals unless σ is given). */
  readonly baseline: number;
  readonly rules: readonly RuleId[];
  readonly transform: Transform;
  /** Given parameters (chart units) replace the estimates; with both, monitoring starts at once. */
  readonly center?: number;
  readonly sigma?: number;
}

/** A plotted point as it completes (or, for baseline points, when the baseline freezes). */
export interface MonitorPoint {
  /** 0-based position since the last (re)baseline. */
  readonly index: number;
  readonly ts: number;
  readonly value: number;
  readonly phase: 1 | 2;
  readonly violations: readonly RuleId[];
}

/** JSON-safe state for status pages. Limits are null while the baseline fills. */
export interface MonitorState {
  readonly phase: 'baseline' | 'monitoring';
  readonly baselinePoints: number;
  readonly baselineTarget: number;
  readonly points: number;
  readonly center: number | null;
  readonly sigma: number | null;
  readonly lcl: number | null;
  readonly ucl: number | null;
  readonly rejected: number;
}

/** One series' live chart: not shared between series, not thread-safe, never throws after construction. */
export class SpcMonitor {
  readonly options: SpcMonitorOptions;
  private readonly stream: RuleStream;
  private open: number[] = [];
  private baseline: { value: number; ts: number; group?: Subgroup }[] = [];
  private frozen: { center: number; sigma: number; se: number } | undefined;
  private index = 0;
  private rejectedCount = 0;

  /** Options are validated by the caller's config parser; a bad subgroup size throws here. */
  constructor(options: SpcMonitorOptions) {
    if (options.chart === 'individuals' ? options.subgroup !== 1 : !isSubgroupSize(options.subgroup)) throw new RangeError(`bad subgroup size ${options.subgroup} for ${options.chart}`);
    const needsTwo = options.chart === 'individuals' && options.sigma === undefined;
    if (!Number.isInteger(options.baseline) || options.baseline < (needsTwo ? 2 : 1)) throw new RangeError(`bad baseline length ${options.baseline}`);
    this.options = options;
    this.stream = new RuleStream(options.rules);
    this.startBaseline();
  }

  /**
   * One observation at `ts`. Returns the points it completes: none while a subgroup fills, one
   * when monitoring, all baseline points at the moment the baseline freezes. A value the
   * transform cannot take (non-finite, ≤ 0 for log) is counted and ignored.
   */
  push(raw: number, ts: number): MonitorPoint[] {
    if (!Number.isFinite(raw) || (this.options.transform === 'log' && !(raw > 0))) {
      this.rejectedCount++;
      return [];
    }
    this.open.push(this.options.transform === 'log' ? Math.log(raw) : raw);
    if (this.open.length < this.options.subgroup) return [];
    const group = this.options.chart === 'individuals' ? undefined : subgroup(this.open);
    const value = group === undefined ? (this.open[0] as number) : group.mean;
    this.open = [];
    if (this.frozen !== undefined) return [this.evaluate(value, ts, 2)];
    this.baseline.push(group === undefined ? { value, ts } : { value, ts, group });
    if (this.baseline.length < this.options.baseline) return [];
    return this.freeze();
  }

  /** Drops the limits and starts a new baseline with the next observations (a deploy, a new model). */
  rebaseline(): void {
    this.stream.reset();
    this.open = [];
    this.index = 0;
    this.startBaseline();
  }

  state(): MonitorState {
    const f = this.frozen;
    return {
      phase: f === undefined ? 'baseline' : 'monitoring',
      baselinePoints: f === undefined ? this.baseline.length : this.options.baseline,
      baselineTarget: this.options.baseline,
      points: this.index + this.baseline.length,
      center: f?.center ?? null,
      sigma: f?.sigma ?? null,
      lcl: f === undefined ? null : f.center - 3 * f.se,
      ucl: f === undefined ? null : f.center + 3 * f.se,
      rejected: this.rejectedCount,
    };
  }

  private startBaseline(): void {
    this.baseline = [];
    this.frozen = undefined;
    const { center, sigma } = this.options;
    if (center !== undefined && sigma !== undefined) this.frozen = { center, sigma, se: sigma / Math.sqrt(this.options.subgroup) };
  }

  private freeze(): MonitorPoint[] {
    const points = this.baseline;
    const groups = points.flatMap((p) => (p.group === undefined ? [] : [p.group]));
    const est = estimate(this.options.chart, points.map((p) => p.value), groups);
    const center = this.options.center ?? est.center;
    const sigma = this.options.sigma ?? est.sigma;
    this.frozen = { center, sigma, se: sigma / Math.sqrt(this.options.subgroup) };
    this.baseline = [];
    return points.map((p) => this.evaluate(p.value, p.ts, 1));
  }

  private evaluate(value: number, ts: number, phase: 1 | 2): MonitorPoint {
    const f = this.frozen as { center: number; se: number };
    const violations = this.stream.push(value, f.center, f.se);
    return { index: this.index++, ts, value, phase, violations };
  }
}
