import { describe, expect, it } from 'vitest';
import { binaryTicks } from '../charts/view-range.ts';
import { formatAge, formatBytes, formatClock, formatCountOf, formatPercent, formatSeconds, formatTime, formatValue, unitOf, NONE } from './units.ts';

describe('units', () => {
  it('formats ratios, seconds and bytes as a reader expects', () => {
    expect(formatPercent(0.4234)).toBe('42.3 %');
    expect(formatPercent(null)).toBe(NONE);
    expect(formatPercent(Number.NaN)).toBe(NONE);
    expect(formatSeconds(0.0123)).toBe('12.3 ms');
    expect(formatSeconds(0.456)).toBe('456 ms');
    expect(formatSeconds(2.5)).toBe('2.50 s');
    expect(formatSeconds(0.0000042)).toBe('4 µs');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(80 * 1024 ** 3)).toBe('80.0 GiB');
  });

  it('says "1 frame", never "1 frames"', () => {
    expect(formatCountOf(1, 'frame')).toBe('1 frame');
    expect(formatCountOf(0, 'frame')).toBe('0 frames');
    expect(formatCountOf(2, 'frame')).toBe('2 frames');
    expect(formatCountOf(1234, 'frame')).toBe('1,234 frames');
  });

  it('formats ages and skews with a sign', () => {
    expect(formatAge(350)).toBe('350 ms');
    expect(formatAge(-1500)).toBe('−1.5 s');
    expect(formatAge(42_000)).toBe('42 s');
    expect(formatAge(5 * 60_000)).toBe('5 min');
    expect(formatAge(3 * 3_600_000)).toBe('3.0 h');
  });

  it('shows the date only for another day', () => {
    const ts = new Date(2024, 4, 3, 9, 5, 7).getTime();
    expect(formatTime(ts, ts + 1000)).toBe('09:05:07');
    expect(formatTime(ts, ts + 3 * 86_400_000)).toBe('2024-05-03 09:05:07');
  });

  it('knows the unit of each conventional metric', () => {
    expect(unitOf('hw.gpu.utilization')).toBe('ratio');
    expect(unitOf('system.cpu.utilization')).toBe('ratio');
    expect(unitOf('gen_ai.client.operation.time_to_first_chunk')).toBe('seconds');
    expect(unitOf('sigmascope.probe.tls.duration')).toBe('seconds');
    expect(unitOf('gen_ai.server.time_to_first_token')).toBe('seconds');
    expect(unitOf('hw.gpu.memory.usage')).toBe('bytes');
    expect(unitOf('hw.gpu.memory.limit')).toBe('bytes');
    expect(unitOf('gen_ai.client.token.usage')).toBe('count');
    expect(unitOf('hw.gpu.temperature')).toBe('celsius');
    expect(unitOf('hw.gpu.power.draw')).toBe('watts');
    expect(unitOf('hw.gpu.clock.graphics')).toBe('hertz');
    expect(formatValue('hertz', 1_980_000_000)).toBe('1980 MHz');
    expect(formatClock(1410)).toBe('1410 MHz');
    expect(formatValue('celsius', 64.4)).toBe('64 °C');
    expect(unitOf('system.network.io', true)).toBe('bytesPerSecond');
    expect(unitOf('hw.errors', true)).toBe('perSecond');
    expect(formatValue('bytesPerSecond', 3 * 2 ** 20)).toBe('3.0 MiB/s');
  });

  it('ticks a byte axis on binary steps', () => {
    expect(binaryTicks(0, 1024 ** 3, 6)).toEqual([0, 256, 512, 768, 1024].map((m) => m * 2 ** 20));
    expect(binaryTicks(0, 100, 4)).toEqual([0, 32, 64, 96]);
  });
});
