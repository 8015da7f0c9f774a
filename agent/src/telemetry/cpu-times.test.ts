import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuModeRatios, parseCpuTimes } from './cpu-times.ts';
import { parseLoadAverage1m } from './load-average.ts';

const captured = (snapshot: string, file: string): string => readFileSync(new URL(`./testdata/${snapshot}/${file}`, import.meta.url), 'latin1');

describe('/proc/stat', () => {
  it('reads the aggregate cpu line of the captures, irq + softirq as interrupt, guest left in user', () => {
    // proc-a: "cpu  42269 174 13557 694406 768 0 534 6361 0 0"
    expect(parseCpuTimes(captured('proc-a', 'stat'))).toEqual({ user: 42269, nice: 174, system: 13557, idle: 694406, iowait: 768, interrupt: 534, steal: 6361 });
  });

  it('gives per-mode ratios between the two captures that sum to 1', () => {
    const a = parseCpuTimes(captured('proc-a', 'stat'));
    const b = parseCpuTimes(captured('proc-b', 'stat'));
    if (a === null || b === null) throw new Error('unparsed capture');
    // proc-b: "cpu  42297 174 13568 694572 769 0 535 6367 0 0": deltas 28 0 11 166 1 (0+1) 6, total 213.
    const r = cpuModeRatios(a, b);
    expect(r).toEqual({ user: 28 / 213, nice: 0, system: 11 / 213, idle: 166 / 213, iowait: 1 / 213, interrupt: 1 / 213, steal: 6 / 213 });
    expect(Object.values(r ?? {}).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it('reports nothing for an interval without time or with a counter going backwards', () => {
    const a = parseCpuTimes(captured('proc-a', 'stat'));
    const b = parseCpuTimes(captured('proc-b', 'stat'));
    if (a === null || b === null) throw new Error('unparsed capture');
    expect(cpuModeRatios(a, a)).toBeNull();
    expect(cpuModeRatios(b, a)).toBeNull();
  });

  it('rejects text without a cpu line', () => {
    expect(parseCpuTimes('intr 1 2 3\n')).toBeNull();
    expect(parseCpuTimes('')).toBeNull();
    expect(parseCpuTimes('cpu  a b c d\n')).toBeNull();
  });
});

describe('/proc/loadavg', () => {
  it('reads the 1-minute load of the captures', () => {
    expect(parseLoadAverage1m(captured('proc-a', 'loadavg'))).toBe(2.04);
    expect(parseLoadAverage1m(captured('proc-b', 'loadavg'))).toBe(1.95);
    expect(parseLoadAverage1m('')).toBeNull();
  });
});
