/**
 * A load profile as the stages the runner executes against one target. Every profile but a sweep
 * is one stage; a sweep is one constant-rate stage per rate, in the order given (as GuideLLM's
 * sweep steps through rates). Limits (`requests`, `duration`) apply per stage.
 *
 *   synchronous  closed loop, 1 in flight          concurrent  closed loop, N in flight
 *   constant     open loop, evenly spaced          poisson     open loop, seeded exponential gaps
 */
import type { LoadProfile } from '../suite/suite.ts';
import { constantArrivals, poissonArrivals } from './arrivals.ts';

export type Stage =
  | { readonly kind: 'closed'; readonly concurrency: number; readonly rate: null; readonly requests: number | null; readonly durationMs: number | null }
  | { readonly kind: 'open'; readonly arrivals: () => Iterator<number>; readonly rate: number; readonly requests: number | null; readonly durationMs: number | null };

/** The stages of `profile`; `seed` fixes Poisson schedules (one stream per target index). */
export function stagesOf(profile: LoadProfile, seed: number): Stage[] {
  const limits = { requests: profile.requests, durationMs: profile.duration === null ? null : profile.duration * 1000 };
  switch (profile.type) {
    case 'synchronous':
      return [{ kind: 'closed', concurrency: 1, rate: null, ...limits }];
    case 'concurrent':
      return [{ kind: 'closed', concurrency: profile.concurrency as number, rate: null, ...limits }];
    case 'constant': {
      const rate = profile.rate as number;
      return [{ kind: 'open', rate, arrivals: () => constantArrivals(rate), ...limits }];
    }
    case 'poisson': {
      const rate = profile.rate as number;
      return [{ kind: 'open', rate, arrivals: () => poissonArrivals(rate, seed), ...limits }];
    }
    case 'sweep':
      return (profile.rates as readonly number[]).map((rate) => ({ kind: 'open' as const, rate, arrivals: () => constantArrivals(rate), ...limits }));
  }
}
