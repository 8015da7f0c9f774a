/**
 * Time for a process: the wall clock that stamps samples, the monotonic clock that schedules
 * ticks, and the timers that wait on it. One per process, chosen at start and passed in.
 *
 * The system clock is the product's. A scaled clock runs `rate` times faster than the system's,
 * so a soak test can live through a day in an hour (RELIABILITY.md, L1) with real processes:
 *
 *   now()        = origin + (Date.now() − origin) × rate     the same in every process given the
 *   monotonic()  = performance.now() × rate                  same origin, across restarts too
 *   setTimer(ms) = setTimeout(ms / rate)
 *
 * Only what belongs to the data's time takes this clock (sample stamps, the sampler's schedule,
 * the store's windows, rollups and retention); network timeouts, backoff and pings stay on the
 * system's, because a link does not get faster when the data's clock does.
 */
import { ConfigError } from './config-error.ts';
import { intValue } from './config-fields.ts';

export interface Clock {
  /** Wall clock, ms since the epoch. */
  now(): number;
  /** Monotonic ms (arbitrary origin): schedules and durations. */
  monotonic(): number;
  /** Calls `fn` once after `ms` of this clock's time. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The process's own clocks and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** How a process's clock is set up: `rate` 1 is the system clock. */
export interface ClockSettings {
  readonly rate: number;
  /** The instant (system ms) from which a scaled clock runs faster; every process of one run shares it. */
  readonly originMs: number;
}

/** A clock `rate` times faster than the system's from `originMs` on (see the module comment). */
export function scaledClock(settings: ClockSettings): Clock {
  const { rate, originMs } = settings;
  if (rate === 1) return systemClock;
  // Date.now() moves in whole ms, which a rate of 20 would turn into 20 ms steps: two ticks could
  // share a stamp. The wall clock read once, then followed on the sub-ms performance clock.
  const anchorDate = Date.now();
  const anchorPerf = performance.now();
  const wall = (): number => anchorDate + (performance.now() - anchorPerf);
  return {
    now: () => Math.round(originMs + (wall() - originMs) * rate),
    monotonic: () => performance.now() * rate,
    setTimer: (fn, ms) => setTimeout(fn, ms / rate),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

/**
 * The clock settings of a process from its environment (SIGMASCOPE_CLOCK_RATE, 1–1000, and
 * SIGMASCOPE_CLOCK_ORIGIN, ms since the epoch, not in the future). Environment only: a soak
 * test sets them, a deployment never does. Throws ConfigError naming a bad value.
 */
export function clockSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, systemNow: number = Date.now()): ClockSettings {
  const rawRate = env.SIGMASCOPE_CLOCK_RATE;
  const rate = rawRate === undefined || rawRate === '' ? 1 : intValue(rawRate, 'SIGMASCOPE_CLOCK_RATE', 1, 1_000);
  const rawOrigin = env.SIGMASCOPE_CLOCK_ORIGIN;
  if (rawOrigin === undefined || rawOrigin === '') return Object.freeze({ rate, originMs: systemNow });
  if (rate === 1) throw new ConfigError('SIGMASCOPE_CLOCK_ORIGIN', 'is set without SIGMASCOPE_CLOCK_RATE');
  const originMs = intValue(rawOrigin, 'SIGMASCOPE_CLOCK_ORIGIN', 0, systemNow);
  return Object.freeze({ rate, originMs });
}
