import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMeminfo } from './meminfo.ts';

const KIB = 1024;

describe('/proc/meminfo', () => {
  it('splits the capture into used, free, cached (Cached + SReclaimable) and buffers that sum to MemTotal', () => {
    const m = parseMeminfo(readFileSync(new URL('./testdata/proc-a/meminfo', import.meta.url), 'latin1'));
    // MemTotal 24684092 kB, MemFree 23340388, Buffers 8700, Cached 942052, SReclaimable 74648.
    expect(m).toEqual({
      limit: 24684092 * KIB,
      free: 23340388 * KIB,
      buffers: 8700 * KIB,
      cached: (942052 + 74648) * KIB,
      used: (24684092 - 23340388 - 8700 - 942052 - 74648) * KIB,
    });
  });

  it('never reports a negative state when the kernel reports more cache than fits', () => {
    const m = parseMeminfo('MemTotal: 1000 kB\nMemFree: 600 kB\nBuffers: 100 kB\nCached: 500 kB\n');
    expect(m).toEqual({ limit: 1000 * KIB, free: 600 * KIB, buffers: 100 * KIB, cached: 300 * KIB, used: 0 });
  });

  it('rejects text without MemTotal and MemFree', () => {
    expect(parseMeminfo('Buffers: 1 kB\n')).toBeNull();
  });
});
