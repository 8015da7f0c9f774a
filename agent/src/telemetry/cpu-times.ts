/**
 * Parsing of /proc/stat's aggregate `cpu` line and the per-mode utilization between two
 * snapshots. Pure; the cpu source does the reading.
 */

/** The OpenTelemetry `cpu.mode` values this parser reports, in a stable order. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'interrupt', 'steal'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

/** Cumulative CPU time per mode, in clock ticks, summed over all CPUs. */
export type CpuTimes = Readonly<Record<CpuMode, number>>;

/**
 * Reads the first `cpu ` line of /proc/stat. `irq` and `softirq` are summed into `interrupt`;
 * `guest` and `guest_nice` are left out because the kernel already counts them inside `user` and
 * `nice`. Returns null when the line is missing or malformed.
 */
export function parseCpuTimes(text: string): CpuTimes | null {
  const start = text.startsWith('cpu ') ? 0 : text.indexOf('\ncpu ') + 1;
  if (start < 0 || !text.startsWith('cpu ', start)) return null;
  const end = text.indexOf('\n', start);
  const f = text.slice(start + 4, end < 0 ? undefined : end).trim().split(/\s+/).map(Number);
  if (f.length < 4 || f.some((n) => !Number.isFinite(n) || n < 0)) return null;
  const at = (i: number): number => f[i] ?? 0;
  return { user: at(0), nice: at(1), system: at(2), idle: at(3), iowait: at(4), interrupt: at(5) + at(6), steal: at(7) };
}

/**
 * The share of CPU time each mode took between `prev` and `cur`, as ratios 0..1 that sum to 1.
 * Null when no time passed or a counter went backwards (CPU hot-unplug, a new /proc): the caller
 * skips that interval rather than reporting a made-up value.
 */
export function cpuModeRatios(prev: CpuTimes, cur: CpuTimes): Record<CpuMode, number> | null {
  let total = 0;
  for (const m of CPU_MODES) {
    const d = cur[m] - prev[m];
    if (d < 0) return null;
    total += d;
  }
  if (total <= 0) return null;
  const out = {} as Record<CpuMode, number>;
  for (const m of CPU_MODES) out[m] = (cur[m] - prev[m]) / total;
  return out;
}
