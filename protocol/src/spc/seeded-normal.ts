/**
 * Seeded sources of uniform (mulberry32) and standard normal (Box–Muller) numbers, so simulations of
 * in-control processes and injected shifts give the same numbers on every run and machine.
 * Not for anything secret.
 */
import { seededUniform } from '../stats/seeded-uniform.ts';

/** Returns a generator of N(0, 1) draws determined entirely by `seed`. */
export function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = uniform();
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
