/**
 * The anomaly watch: a SampleSink between the sampler/probes and the SPC watch. Every sample
 * passes through unchanged; samples of configured series are averaged `every` at a time into
 * points for one AnomalyDetector per series. Each point's score goes out as a sample of
 * `sigmascope.anomaly.score{…the series' labels, sigmascope.anomaly.metric=NAME}`, and the first
 * point of each anomalous episode as an anomaly event (an SPC event of rule `anomaly`), in the
 * same stream as the samples: buffered, shipped and shown on the status page like them.
 *
 *   sampler / probes ──add──▶ AnomalyWatch ──add (+ score samples)──▶ SpcWatch ──▶ …
 *                               │ AnomalyDetector per series (bounded: maxSeries)
 *                               └──event(anomaly)──▶ SpcWatch ──▶ …
 *
 * Series carrying `error.type` are never watched: a failure is not a measurement.
 */
import type { AgentEvent } from '@sigmascope/protocol/events';
import { AnomalyDetector } from '@sigmascope/protocol/anomaly/anomaly-detector';
import type { AnomalyDetectorState } from '@sigmascope/protocol/anomaly/anomaly-detector';
import { anomalyEvent, SCORE_METRIC, scoreLabels } from '@sigmascope/protocol/anomaly/anomaly-event';
import { Label } from '@sigmascope/protocol/metrics';
import { series as makeSeries } from '@sigmascope/protocol/series';
import type { Labels, Series } from '@sigmascope/protocol/series';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import { UntrackedSeries } from '../pipeline/untracked-series.ts';
import type { AnomalyConfig, AnomalySeriesConfig } from './anomaly-config.ts';

const RECENT = 10;
/** Names of refused series remembered for counting; past this, every refused sample counts. */
const UNTRACKED_NAMES = 4096;

/** One watched series on the status page. JSON-safe. */
export interface AnomalySeriesStatus extends AnomalyDetectorState {
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
  readonly every: number;
  readonly threshold: number;
  readonly recent: readonly { readonly ts: number; readonly value: number; readonly score: number }[];
}

/** The `anomaly` part of the agent's /api/status. JSON-safe. */
export interface AnomalyWatchStatus {
  readonly enabled: boolean;
  readonly series: readonly AnomalySeriesStatus[];
  readonly untracked: number;
  readonly events: number;
}

interface Watched {
  readonly series: Series;
  readonly config: AnomalySeriesConfig;
  readonly detector: AnomalyDetector;
  /** The score series, or null when the series has no room for its label. */
  readonly score: Series | null;
  sum: number;
  count: number;
  recent: { ts: number; value: number; score: number }[];
}

export class AnomalyWatch implements SampleSink {
  private readonly next: SampleSink;
  private readonly config: AnomalyConfig;
  private readonly watched = new Map<string, Watched>();
  private readonly refused = new Set<string>();
  private readonly untracked = new UntrackedSeries(UNTRACKED_NAMES);
  private events = 0;

  constructor(next: SampleSink, config: AnomalyConfig) {
    this.next = next;
    this.config = config;
  }

  add(series: Series, ts: number, value: number): void {
    this.next.add(series, ts, value);
    if (!this.config.enabled) return;
    const w = this.watch(series);
    if (w === undefined || !Number.isFinite(value)) return;
    w.sum += value;
    if (++w.count < w.config.every) return;
    const point = w.sum / w.count;
    w.sum = 0;
    w.count = 0;
    const v = w.detector.push(ts, point);
    if (v === null || v.state === 'warmup') return;
    if (w.score !== null) this.next.add(w.score, ts, v.score);
    if (!v.event) return;
    w.recent.push({ ts, value: point, score: v.score });
    if (w.recent.length > RECENT) w.recent.shift();
    this.events++;
    this.next.event(anomalyEvent(series.name, series.labels, ts, point, v.baseline as number, v.scale as number));
  }

  event(event: AgentEvent): void {
    this.next.event(event);
  }

  status(): AnomalyWatchStatus {
    const series = [...this.watched.entries()].map(([key, w]) => ({
      key, name: w.series.name, labels: w.series.labels, every: w.config.every, threshold: w.config.options.threshold,
      ...w.detector.state(), recent: [...w.recent],
    }));
    return { enabled: this.config.enabled, series, untracked: this.untracked.count, events: this.events };
  }

  private watch(series: Series): Watched | undefined {
    const known = this.watched.get(series.key);
    if (known !== undefined) return known;
    if (this.refused.has(series.key)) return undefined;
    const config = series.labels[Label.errorType] === undefined && series.name !== SCORE_METRIC
      ? this.config.series.find((c) => c.metric === series.name && Object.entries(c.labels).every(([k, v]) => series.labels[k] === v))
      : undefined;
    if (config === undefined) {
      // Remembered so the lookup runs once per series, within a bound.
      if (this.refused.size < UNTRACKED_NAMES) this.refused.add(series.key);
      return undefined;
    }
    if (this.watched.size >= this.config.maxSeries) {
      this.untracked.note(series.key);
      return undefined;
    }
    const labels = scoreLabels(series.name, series.labels);
    const w: Watched = { series, config, detector: new AnomalyDetector(config.options), score: labels === null ? null : makeSeries(SCORE_METRIC, labels), sum: 0, count: 0, recent: [] };
    this.watched.set(series.key, w);
    return w;
  }
}
