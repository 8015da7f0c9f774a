/**
 * The SPC watch: a SampleSink between the sampler and the batcher. Every sample passes through
 * to the next sink unchanged; samples of configured series also feed one SpcMonitor per series,
 * and each episode of a rule on a series becomes an SpcViolationEvent in the same stream, so
 * violations travel in the batches and survive collector outages in the buffer like samples do.
 *
 * An episode: a rule reports every point while its pattern holds (a sustained shift hits rule 1
 * at every point), which is right for the chart and useless as an alert. The first Phase II hit
 * of a rule on a series is sent; later hits of that rule are counted (status page) and not sent
 * again until it has been silent for `quietPoints` plotted points.
 *
 *   hits      ×  ×  ×  ×  ·  ·  ·  ×  ·  ·  · … (quietPoints without a hit) …  ×
 *   events    ●                                                               ●
 *
 *   sampler / probes ──add──▶ SpcWatch ──add──▶ batcher
 *                               │ SpcMonitor per series (bounded: maxSeries)
 *                               └──event(spc)──▶ batcher
 *
 * Series carrying `error.type` (failed operations) are never charted: a failure is not a
 * measurement of the process. Baseline-phase violations are counted, not emitted: they describe
 * the past the limits were computed from.
 */
import type { AgentEvent, SpcViolationEvent } from '@sigmascope/protocol/events';
import { Label } from '@sigmascope/protocol/metrics';
import type { Labels, Series } from '@sigmascope/protocol/series';
import { SpcMonitor, type MonitorState } from '@sigmascope/protocol/spc/monitor';
import type { RuleId } from '@sigmascope/protocol/spc/rules';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import type { SpcConfig, SpcSeriesConfig } from './spc-config.ts';

const RECENT = 10;
/** Names of refused series remembered for counting; past this, every refused sample counts. */
const UNTRACKED_NAMES = 4096;

/** One watched series on the status page. JSON-safe. */
export interface SpcSeriesStatus extends MonitorState {
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
  readonly chart: string;
  readonly subgroup: number;
  readonly transform: string;
  readonly rules: readonly RuleId[];
  readonly baselinedAt: number;
  readonly violations: Readonly<Partial<Record<RuleId, number>>>;
  readonly baselineViolations: number;
  readonly recent: readonly { readonly rule: RuleId; readonly ts: number; readonly value: number }[];
}

/** The `spc` part of the agent's /api/status. JSON-safe. */
export interface SpcWatchStatus {
  readonly enabled: boolean;
  readonly series: readonly SpcSeriesStatus[];
  /** Matching series not watched because maxSeries was reached (exact up to 4096 of them). */
  readonly untracked: number;
  readonly events: number;
}

interface Watched {
  readonly series: Series;
  readonly config: SpcSeriesConfig;
  readonly monitor: SpcMonitor;
  baselinedAt: number;
  counts: Partial<Record<RuleId, number>>;
  /** Plotted points since the baseline froze, and the point of each rule's last hit. */
  plotted: number;
  lastHit: Partial<Record<RuleId, number>>;
  baselineViolations: number;
  recent: { rule: RuleId; ts: number; value: number }[];
}

/** A SampleSink decorator; one per agent, called from the sampler's tick and the probes. */
export class SpcWatch implements SampleSink {
  private readonly next: SampleSink;
  private readonly config: SpcConfig;
  private readonly clock: () => number;
  private readonly watched = new Map<string, Watched>();
  private readonly untracked = new Set<string>();
  private untrackedCount = 0;
  private events = 0;

  /** `clock` (ms) stamps re-baselines for the status page; sample times come from the samples. */
  constructor(next: SampleSink, config: SpcConfig, clock: () => number) {
    this.next = next;
    this.config = config;
    this.clock = clock;
  }

  add(series: Series, ts: number, value: number): void {
    this.next.add(series, ts, value);
    if (!this.config.enabled) return;
    const w = this.watch(series);
    if (w === undefined) return;
    for (const point of w.monitor.push(value, ts)) {
      if (point.phase === 1) {
        w.baselineViolations += point.violations.length;
        continue;
      }
      w.plotted++;
      if (point.violations.length === 0) continue;
      const { center, sigma } = w.monitor.state();
      for (const rule of point.violations) {
        w.counts[rule] = (w.counts[rule] ?? 0) + 1;
        w.recent.push({ rule, ts: point.ts, value: point.value });
        if (w.recent.length > RECENT) w.recent.shift();
        const last = w.lastHit[rule];
        w.lastHit[rule] = w.plotted;
        if (last !== undefined && w.plotted - last <= this.config.quietPoints) continue;
        const event: SpcViolationEvent = { kind: 'spc', ts: point.ts, name: series.name, labels: series.labels, rule, value: point.value, center: center as number, sigma: sigma as number };
        this.events++;
        this.next.event(event);
      }
    }
  }

  event(event: AgentEvent): void {
    this.next.event(event);
  }

  /** Starts new baselines: for one series key, or for all when omitted. Returns how many. */
  rebaseline(key?: string): number {
    let n = 0;
    for (const [k, w] of this.watched) {
      if (key !== undefined && k !== key) continue;
      w.monitor.rebaseline();
      w.baselinedAt = this.clock();
      w.baselineViolations = 0;
      w.plotted = 0;
      w.lastHit = {};
      n++;
    }
    return n;
  }

  status(): SpcWatchStatus {
    const series = [...this.watched.entries()].map(([key, w]) => ({
      key,
      name: w.series.name,
      labels: w.series.labels,
      chart: w.config.chart,
      subgroup: w.config.subgroup,
      transform: w.config.transform,
      rules: w.config.rules,
      ...w.monitor.state(),
      baselinedAt: w.baselinedAt,
      violations: { ...w.counts },
      baselineViolations: w.baselineViolations,
      recent: [...w.recent],
    }));
    return { enabled: this.config.enabled, series, untracked: this.untrackedCount, events: this.events };
  }

  private watch(series: Series): Watched | undefined {
    const known = this.watched.get(series.key);
    if (known !== undefined) return known;
    if (series.labels[Label.errorType] !== undefined) return undefined;
    const config = this.config.series.find((c) => c.metric === series.name && Object.entries(c.labels).every(([k, v]) => series.labels[k] === v));
    if (config === undefined) return undefined;
    if (this.watched.size >= this.config.maxSeries) {
      // Count each refused series once, and stop remembering names past a bound.
      if (!this.untracked.has(series.key)) {
        this.untrackedCount++;
        if (this.untracked.size < UNTRACKED_NAMES) this.untracked.add(series.key);
      }
      return undefined;
    }
    const { chart, subgroup, baseline, rules, transform } = config;
    const w: Watched = { series, config, monitor: new SpcMonitor({ chart, subgroup, baseline, rules, transform }), baselinedAt: this.clock(), counts: {}, plotted: 0, lastHit: {}, baselineViolations: 0, recent: [] };
    this.watched.set(series.key, w);
    return w;
  }
}
