import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '@sigmascope/protocol/batch';
import { ConfigError } from '@sigmascope/protocol/config-error';
import type { SpcViolationEvent } from '@sigmascope/protocol/events';
import { Label, Metric } from '@sigmascope/protocol/metrics';
import { series } from '@sigmascope/protocol/series';
import { seededNormal } from '@sigmascope/protocol/spc/seeded-normal';
import { validateFrame } from '@sigmascope/protocol/validate';
import { InMemorySampleSink } from '../pipeline/sample-sink.ts';
import { DEFAULT_SPC_CONFIG, parseSpcConfig } from './spc-config.ts';
import { SpcWatch } from './spc-watch.ts';

const gpu = series(Metric.gpuTemperature, { [Label.hwId]: 'GPU-0' });
const ttft = series(Metric.genAiTimeToFirstChunk, { [Label.genAiProvider]: 'openai', [Label.genAiModel]: 'gpt-4o-mini' });
const clock = () => 1_700_000_000_000;

describe('SpcWatch', () => {
  it('forwards every sample unchanged, watched or not', () => {
    const sink = new InMemorySampleSink();
    const watch = new SpcWatch(sink, DEFAULT_SPC_CONFIG, clock);
    const cpu = series(Metric.cpuUtilization);
    const sent: [string, number, number][] = [];
    for (let i = 0; i < 500; i++) {
      const s = i % 3 === 0 ? cpu : gpu;
      watch.add(s, i * 500, 40 + (i % 7));
      sent.push([s.key, i * 500, 40 + (i % 7)]);
    }
    watch.add(gpu, 1, Number.NaN);
    sent.push([gpu.key, 1, Number.NaN]);
    expect(sink.samples.map((s) => [s.series.key, s.ts, s.value])).toEqual(sent);
  });

  it('flags a GPU temperature shift of 0.5σ within the run length theory predicts (X̄ of 20, rule 1)', () => {
    // Subgroup means of 20 move by 0.5·√20 = 2.24 standard errors: a point is beyond 3σ with
    // p = P(Z > 3 − 2.236) = 0.2225 (the lower tail is negligible), so ARL = 1/p = 4.49 subgroups.
    const config = parseSpcConfig({ series: [{ metric: Metric.gpuTemperature, chart: 'xbar-s', subgroup: 20, baseline: 30, rules: 'nelson1' }] }, 'spc');
    const next = seededNormal(42);
    const trials = 300;
    let total = 0;
    for (let t = 0; t < trials; t++) {
      const sink = new InMemorySampleSink();
      const watch = new SpcWatch(sink, config, clock);
      let ts = 0;
      for (let i = 0; i < 30 * 20; i++) watch.add(gpu, (ts += 500), 60 + 2 * next());
      const before = sink.events.length;
      let subgroups = 0;
      while (sink.events.length === before) {
        for (let i = 0; i < 20; i++) watch.add(gpu, (ts += 500), 61 + 2 * next());
        subgroups++;
      }
      total += subgroups;
    }
    expect(Math.abs(total / trials / 4.49 - 1)).toBeLessThan(0.15);
  });

  it('flags a doubled TTFT at the first slow probe (individuals of log TTFT)', () => {
    const sink = new InMemorySampleSink();
    const watch = new SpcWatch(sink, DEFAULT_SPC_CONFIG, clock);
    const next = seededNormal(3);
    const t0 = clock();
    for (let i = 0; i < 100; i++) watch.add(ttft, t0 + i * 60_000, 0.3 * Math.exp(0.08 * next()));
    const quiet = sink.events.length;
    watch.add(ttft, t0 + 100 * 60_000, 0.6);
    const events = sink.events.slice(quiet) as SpcViolationEvent[];
    expect(events.map((e) => e.rule)).toContain('nelson1');
    const e = events[0] as SpcViolationEvent;
    expect(e).toMatchObject({ kind: 'spc', ts: t0 + 100 * 60_000, name: ttft.name, labels: ttft.labels, value: Math.log(0.6) });
    expect(e.center).toBeCloseTo(Math.log(0.3), 1);
    // The event travels in a batch frame the collector accepts.
    const batch = new BatchBuilder();
    batch.addEvent(e);
    expect(validateFrame(batch.seal(1, clock())).ok).toBe(true);
  });

  it('a sustained shift is one event per rule; a rule silent for quietPoints starts a new episode', () => {
    const config = parseSpcConfig({ quietPoints: 5, series: [{ metric: Metric.gpuTemperature, chart: 'individuals', baseline: 20, rules: 'nelson1' }] }, 'spc');
    const sink = new InMemorySampleSink();
    const watch = new SpcWatch(sink, config, clock);
    const next = seededNormal(7);
    let ts = 0;
    for (let i = 0; i < 20; i++) watch.add(gpu, (ts += 500), 60 + next());
    const sigma = watch.status().series[0]?.sigma as number;
    const hot = 60 + 10 * sigma;
    for (let i = 0; i < 30; i++) watch.add(gpu, (ts += 500), hot);
    expect(sink.events).toHaveLength(1);
    expect(watch.status().series[0]?.violations).toEqual({ nelson1: 30 });
    // Back in control for 4 points: still the same episode when it fires again.
    for (let i = 0; i < 4; i++) watch.add(gpu, (ts += 500), 60);
    watch.add(gpu, (ts += 500), hot);
    expect(sink.events).toHaveLength(1);
    // Quiet for 5 points: the episode ended, the next hit opens a new episode, stamped with its own point.
    for (let i = 0; i < 5; i++) watch.add(gpu, (ts += 500), 60);
    watch.add(gpu, (ts += 500), hot);
    expect(sink.events).toHaveLength(2);
    expect(sink.events[1]).toMatchObject({ kind: 'spc', rule: 'nelson1', ts, value: hot });
    // quietPoints 0: every hit is an event, as the rules report them.
    const every = new InMemorySampleSink();
    const all = new SpcWatch(every, parseSpcConfig({ quietPoints: 0, series: [{ metric: Metric.gpuTemperature, chart: 'individuals', baseline: 20, rules: 'nelson1' }] }, 'spc'), clock);
    ts = 0;
    const again = seededNormal(7);
    for (let i = 0; i < 20; i++) all.add(gpu, (ts += 500), 60 + again());
    for (let i = 0; i < 30; i++) all.add(gpu, (ts += 500), hot);
    expect(every.events).toHaveLength(30);
  });

  it('never charts failed operations, and reports per-series state for the status page', () => {
    const sink = new InMemorySampleSink();
    const watch = new SpcWatch(sink, DEFAULT_SPC_CONFIG, clock);
    const failed = series(Metric.genAiDuration, { [Label.errorType]: 'timeout' });
    for (let i = 0; i < 50; i++) watch.add(failed, i, 30);
    for (let i = 0; i < 25; i++) watch.add(ttft, i, 0.3 + (i % 5) / 100);
    const status = watch.status();
    expect(status.series.map((s) => s.key)).toEqual([ttft.key]);
    const s = status.series[0];
    expect(s).toMatchObject({ chart: 'individuals', transform: 'log', phase: 'monitoring', baselinePoints: 20, points: 25 });
    expect(s?.lcl).toBeLessThan(s?.center as number);
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
    expect(watch.rebaseline(ttft.key)).toBe(1);
    expect(watch.status().series[0]).toMatchObject({ phase: 'baseline', baselinePoints: 0, lcl: null });
  });

  it('charts a counter on its rate: a jump in traffic is a violation, the growing total is not', () => {
    const rx = series(Metric.networkIo, { [Label.networkInterface]: 'eth0', [Label.networkDirection]: 'receive' });
    const config = parseSpcConfig({ series: [{ metric: Metric.networkIo, chart: 'individuals', subgroup: 1, baseline: 40, rules: 'nelson1' }] }, 'spc');
    const sink = new InMemorySampleSink();
    const watch = new SpcWatch(sink, config, clock);
    const next = seededNormal(7);
    let total = 0;
    // 1 MB/s ± 1 % for 120 samples: the cumulative total rises all along, the rate stays in control.
    for (let i = 0; i < 120; i++) watch.add(rx, i * 500, (total += 500_000 * (1 + 0.01 * next())));
    expect(sink.events).toEqual([]);
    for (let i = 120; i < 125; i++) watch.add(rx, i * 500, (total += 1_500_000));
    const events = sink.events as SpcViolationEvent[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ rule: 'nelson1', ts: 120 * 500, value: 3_000_000 });
    expect(events[0]?.center).toBeCloseTo(1_000_000, -4);
  });

  it('watches at most maxSeries series and counts the rest', () => {
    const sink = new InMemorySampleSink();
    const watch = new SpcWatch(sink, parseSpcConfig({ maxSeries: 2 }, 'spc'), clock);
    for (let g = 0; g < 5; g++) for (let i = 0; i < 3; i++) watch.add(series(Metric.gpuTemperature, { [Label.hwId]: `GPU-${g}` }), i, 50);
    expect(watch.status().untracked).toBe(3);
    expect(watch.status().series).toHaveLength(2);
    expect(sink.samples).toHaveLength(15);
  });
});

describe('parseSpcConfig', () => {
  it('gives the defaults for a missing section and reads a full one', () => {
    expect(parseSpcConfig(undefined, 'spc')).toBe(DEFAULT_SPC_CONFIG);
    const c = parseSpcConfig({ enabled: false, series: [{ metric: 'x', chart: 'xbar-r', subgroup: 5, rules: ['we'], transform: 'log', labels: { a: 'b' } }] }, 'spc');
    expect(c).toMatchObject({ enabled: false, series: [{ metric: 'x', chart: 'xbar-r', subgroup: 5, rules: ['we1', 'we2', 'we3', 'we4'], transform: 'log', labels: { a: 'b' } }] });
  });

  it.each([
    [{ series: [{ metric: 'x', chart: 'pie' }] }, 'spc.series[0].chart', '"pie"'],
    [{ series: [{ metric: 'x', chart: 'xbar-s', subgroup: 30 }] }, 'spc.series[0].subgroup', '30'],
    [{ series: [{ metric: 'x', subgroup: 5 }] }, 'spc.series[0].subgroup', 'individuals'],
    [{ series: [{ metric: 'x', rules: 'nelson9' }] }, 'spc.series[0].rules', '"nelson9"'],
    [{ series: [{ metric: 'x', baseline: 1 }] }, 'spc.series[0].baseline', '1'],
    [{ series: [{}] }, 'spc.series[0].metric', 'required'],
    [{ maxSeries: 0 }, 'spc.maxSeries', '0'],
    [{ colour: 'red' }, 'spc.colour', 'unknown'],
    [[1], 'spc', 'mapping'],
  ])('refuses %j, naming %s', (raw, where, text) => {
    let error: unknown;
    try {
      parseSpcConfig(raw, 'spc');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).where).toBe(where);
    expect((error as ConfigError).message).toContain(text);
  });
});
