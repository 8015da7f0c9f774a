/**
 * Open-loop arrival times: when each request is due, in ms from the start of its stage, fixed
 * before the first request is sent. They never depend on responses, so a slow server does not
 * slow the load down (the "coordinated omission" that closed loops suffer); the runner records
 * each request's scheduled and actual send time.
 *
 *   constant  t_i = i / rate
 *   poisson   t_i = t_{i−1} + Exp(rate), drawn from seededUniform(seed): the same seed gives the
 *             same schedule on every machine
 */
import { seededUniform } from '@sigmascope/protocol/stats/seeded-uniform';

/** Endless arrival offsets (ms) at `rate` requests per second. */
export function* constantArrivals(rate: number): Generator<number> {
  for (let i = 0; ; i++) yield (i * 1000) / rate;
}

/** Endless Poisson arrival offsets (ms) at mean `rate` per second, determined by `seed`. */
export function* poissonArrivals(rate: number, seed: number): Generator<number> {
  const uniform = seededUniform(seed);
  let t = 0;
  for (;;) {
    yield t;
    t += (-Math.log(1 - uniform()) * 1000) / rate;
  }
}
