import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { isAnomalyEvent } from '@sigmascope/protocol/anomaly/anomaly-event';
import { Metric } from '@sigmascope/protocol/metrics';
import { series } from '@sigmascope/protocol/series';
import { seededNormal } from '@sigmascope/protocol/spc/seeded-normal';
import { InMemorySampleSink } from '../pipeline/sample-sink.ts';
import { DEFAULT_ANOMALY_CONFIG, parseAnomalyConfig } from './anomaly-config.ts';
import { AnomalyWatch } from './anomaly-watch.ts';

const GPU0 = series(Metric.gpuTemperature, { 'hw.id': 'GPU-0', 'hw.type': 'gpu' });
const T0 = Date.UTC(2025, 0, 1);

describe('AnomalyWatch', () => {
  it('passes every sample on, scores 10 s means after the warm-up, and sends one event for a 20 °C jump', () => {
    const sink = new InMemorySampleSink();
    const watch = new AnomalyWatch(sink, DEFAULT_ANOMALY_CONFIG);
    const rnd = seededNormal(3);
    // 40 minutes at 2 Hz: 240 points of 10 s; the jump after 30 minutes.
    const n = 40 * 60 * 2;
    for (let i = 0; i < n; i++) watch.add(GPU0, T0 + i * 500, Math.round(60 + rnd() + (i >= 30 * 60 * 2 ? 20 : 0)));
    const own = sink.samples.filter((s) => s.series.key === GPU0.key);
    expect(own).toHaveLength(n);
    const scores = sink.samples.filter((s) => s.series.name === Metric.anomalyScore);
    // 240 points, the first 90 fill the window.
    expect(scores).toHaveLength(240 - 90);
    expect(scores[0]?.series.labels).toEqual({ 'hw.id': 'GPU-0', 'hw.type': 'gpu', 'sigmascope.anomaly.metric': Metric.gpuTemperature });
    expect(sink.events).toHaveLength(1);
    const e = sink.events[0];
    expect(e && isAnomalyEvent(e)).toBe(true);
    expect(e).toMatchObject({ kind: 'spc', rule: 'anomaly', name: Metric.gpuTemperature, labels: GPU0.labels, ts: T0 + (30 * 60 * 2 + 19) * 500 });
    expect((e as { center: number }).center).toBeCloseTo(60, 0);
    expect(watch.status()).toMatchObject({ enabled: true, events: 1, untracked: 0, series: [{ key: GPU0.key, warm: true, episodes: 1 }] });
  });

  it('never watches failed operations or its own scores, and bounds the series it watches', () => {
    const sink = new InMemorySampleSink();
    const watch = new AnomalyWatch(sink, parseAnomalyConfig({ maxSeries: 2, series: [{ metric: Metric.genAiDuration, transform: 'log' }] }, 'agent.yaml: anomaly'));
    for (let p = 0; p < 5; p++) watch.add(series(Metric.genAiDuration, { 'gen_ai.request.model': `m${p}` }), T0, 1);
    watch.add(series(Metric.genAiDuration, { 'error.type': 'timeout' }), T0, 15);
    expect(watch.status().series).toHaveLength(2);
    expect(watch.status().untracked).toBe(3);
  });

  it('refuses bad settings naming them', () => {
    const bad = (raw: unknown) => () => parseAnomalyConfig(raw, 'agent.yaml: anomaly');
    expect(bad({ series: [{ metric: 'hw.gpu.temperature', threshold: -1 }] })).toThrow(ConfigError);
    expect(bad({ series: [{ metric: 'hw.gpu.temperature', threshold: -1 }] })).toThrow(/anomaly\.series\[0\]\.threshold: -1 is not a number/);
    expect(bad({ series: [{ metric: 'hw.gpu.temperature', evry: 20 }] })).toThrow(/series\[0\]\.evry: unknown setting/);
    expect(bad({ maxSeries: 0 })).toThrow(/maxSeries/);
    expect(bad({ series: [{}] })).toThrow(/metric: a metric name is required/);
    expect(parseAnomalyConfig({ enabled: false }, 'x').enabled).toBe(false);
  });
});
