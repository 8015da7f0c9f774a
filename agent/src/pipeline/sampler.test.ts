import { describe, expect, it } from 'vitest';
import { silentLogger } from '@sigmascope/protocol/log';
import { series } from '@sigmascope/protocol/series';
import type { SourceStatus, TelemetrySource } from '../telemetry/source.ts';
import { InMemorySampleSink } from './sample-sink.ts';
import type { SampleSink } from './sample-sink.ts';
import { Sampler } from './sampler.ts';
import type { SamplerClock } from './sampler.ts';

/** A clock whose time moves only when the test says; every timer fires `lagMs` after it is due. */
class FakeClock implements SamplerClock {
  mono = 10_000;
  readonly wallOffset: number;
  lagMs = 0;
  private timers = new Map<number, { due: number; fn: () => void }>();
  private ids = 0;
  constructor(wallStart: number) {
    this.wallOffset = wallStart - this.mono;
  }
  now(): number {
    return this.wallOffset + this.mono;
  }
  monotonic(): number {
    return this.mono;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.set(id, { due: this.mono + ms, fn });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Runs timers in due order until `ms` have passed, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      let first: [number, { due: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (first === undefined || e[1].due < first[1].due) first = e;
      if (first === undefined || first[1].due + this.lagMs > end) break;
      this.timers.delete(first[0]);
      this.mono = Math.max(this.mono, first[1].due + this.lagMs);
      first[1].fn();
    }
    this.mono = end;
    await new Promise((r) => setImmediate(r));
  }
  /** The event loop is blocked: time passes, nothing fires. */
  block(ms: number): void {
    this.mono += ms;
  }
}

const ok: SourceStatus = { state: 'ok' };

/** A source writing one sample per tick whose value is the tick count. */
function counter(name: string): TelemetrySource & { calls: number } {
  const s = series(`test.${name}`);
  const src = {
    name,
    calls: 0,
    async start() {},
    collect(ts: number, sink: SampleSink) {
      src.calls++;
      sink.add(s, ts, src.calls);
    },
    status: () => ok,
    async stop() {},
  };
  return src;
}

function setup(sources: TelemetrySource[], wallStart = 1_700_000_000_123) {
  const clock = new FakeClock(wallStart);
  const sink = new InMemorySampleSink();
  const ticks: { ts: number; at: number; samples: number }[] = [];
  const sampler = new Sampler({
    intervalMs: 500, deadlineMs: 200, sources, sink, log: silentLogger, clock,
    onTick: (ts) => ticks.push({ ts, at: clock.monotonic(), samples: sink.samples.length }),
  });
  return { clock, sink, ticks, sampler };
}

describe('Sampler schedule', () => {
  it('ticks on the wall-clock grid, one timestamp per tick, without drift despite late timers', async () => {
    const src = counter('a');
    const { clock, sink, ticks, sampler } = setup([src]);
    clock.lagMs = 7; // every timer fires 7 ms late
    await sampler.start();
    await clock.advance(100 * 500);
    expect(ticks.length).toBe(100);
    // First grid point after 1_700_000_000_123 is …500; tick k at …500 + k·500 (+ the 7 ms lag, never more).
    ticks.forEach((t, k) => expect(t.ts).toBe(1_700_000_000_500 + k * 500 + 7));
    expect(sink.samples.map((s) => s.ts)).toEqual(ticks.map((t) => t.ts));
    expect(sampler.stats()).toMatchObject({ ticks: 100, lateTicks: 0, lastTickAt: ticks[99]?.ts });
    await sampler.stop();
  });

  it('counts and skips the ticks a blocked event loop missed instead of bunching them', async () => {
    const { clock, ticks, sampler } = setup([counter('a')], 1_700_000_000_000);
    await sampler.start();
    await clock.advance(1_000); // ticks at 0 and 500 (1000 is due at the boundary and runs too)
    const before = ticks.length;
    clock.block(1_600); // stuck from 1000 to 2600: slots 1500 and 2000 passed; 2500 runs 100 ms late, in its own slot
    await clock.advance(1);
    expect(sampler.stats().lateTicks).toBe(2);
    expect(ticks[before]?.at).toBe(10_000 + 2_600);
    await clock.advance(2_000);
    const after = ticks.slice(before);
    // At most one tick per 500 ms slot (nothing run back to back); after the stall it is on the grid again.
    const slots = after.map((t) => Math.floor(t.ts / 500));
    expect(new Set(slots).size).toBe(slots.length);
    expect(after).toHaveLength(5); // 2600, then 3000, 3500, 4000, 4500
    expect(after.slice(1).every((t) => t.ts % 500 === 0)).toBe(true);
    await sampler.stop();
  });
});

describe('Sampler deadlines', () => {
  it('skips a slow source at the deadline, counts it, drops what it writes late, and never delays the others', async () => {
    const fast = counter('fast');
    const slowSeries = series('test.slow');
    let release: (() => void) | undefined;
    const slow: TelemetrySource = {
      name: 'slow',
      async start() {},
      collect(ts, sink) {
        return new Promise<void>((resolve) => {
          release = () => {
            sink.add(slowSeries, ts, 1);
            resolve();
          };
        });
      },
      status: () => ok,
      async stop() {},
    };
    const { clock, sink, ticks, sampler } = setup([slow, fast], 1_700_000_000_000);
    await sampler.start();
    await clock.advance(1);
    // The tick closes at its 200 ms deadline with the fast source's sample in it.
    await clock.advance(199);
    expect(ticks).toHaveLength(1);
    expect(ticks[0]?.at).toBe(10_000 + 200);
    expect(ticks[0]?.samples).toBe(1);
    // Still busy at the next two ticks: not called again, counted as missed, ticks go on.
    await clock.advance(1_000);
    expect(ticks).toHaveLength(3);
    expect(fast.calls).toBe(3);
    release?.();
    await clock.advance(1);
    expect(sink.samples.filter((s) => s.series.name === 'test.slow')).toHaveLength(0);
    const st = sampler.stats().sources.find((s) => s.name === 'slow');
    expect(st).toMatchObject({ missed: 3, lateSamples: 1 });
    expect(sampler.stats().sources.find((s) => s.name === 'fast')?.missed).toBe(0);
    await sampler.stop();
  });

  it('waits for an async source that answers before the deadline and puts its samples in the tick', async () => {
    const s = series('test.async');
    const asyncSrc: TelemetrySource = {
      name: 'async',
      async start() {},
      async collect(ts, sink) {
        await Promise.resolve();
        sink.add(s, ts, 42);
      },
      status: () => ok,
      async stop() {},
    };
    const { clock, sink, ticks, sampler } = setup([asyncSrc], 1_700_000_000_000);
    await sampler.start();
    await clock.advance(1_001);
    expect(ticks).toHaveLength(3);
    expect(ticks.map((t) => t.samples)).toEqual([1, 2, 3]);
    expect(sink.samples.map((x) => x.value)).toEqual([42, 42, 42]);
    expect(sampler.stats().sources[0]?.missed).toBe(0);
    await sampler.stop();
  });

  it('counts a throwing source as missed and keeps sampling the others', async () => {
    const fast = counter('fast');
    const broken: TelemetrySource = {
      name: 'broken',
      async start() {},
      collect() {
        throw new Error('boom');
      },
      status: () => ok,
      async stop() {},
    };
    const { clock, ticks, sampler } = setup([broken, fast], 1_700_000_000_000);
    await sampler.start();
    await clock.advance(2_001);
    expect(ticks).toHaveLength(5);
    expect(fast.calls).toBe(5);
    expect(sampler.stats().sources[0]).toMatchObject({ name: 'broken', missed: 5, lastError: 'boom' });
    await sampler.stop();
  });

  it('reports a source leaving ok and coming back as lifecycle events', async () => {
    let status: SourceStatus = ok;
    const flaky: TelemetrySource = { name: 'gpu', async start() {}, collect() {}, status: () => status, async stop() {} };
    const { clock, sink, sampler } = setup([flaky], 1_700_000_000_000);
    await sampler.start();
    await clock.advance(501);
    status = { state: 'degraded', detail: 'nvidia-smi exited with code 1' };
    await clock.advance(500);
    status = ok;
    await clock.advance(500);
    expect(sink.events.map((e) => (e.kind === 'lifecycle' ? `${e.what} ${e.detail}` : e.kind))).toEqual(['source_down gpu: nvidia-smi exited with code 1', 'source_up gpu']);
    await sampler.stop();
  });

  it('stop() ends the schedule and stops every source', async () => {
    let stopped = 0;
    const src: TelemetrySource = { ...counter('a'), async stop() { stopped++; } };
    const { clock, ticks, sampler } = setup([src], 1_700_000_000_000);
    await sampler.start();
    await clock.advance(1_001);
    await sampler.stop();
    const n = ticks.length;
    await clock.advance(5_000);
    expect(ticks.length).toBe(n);
    expect(stopped).toBe(1);
  });
});
