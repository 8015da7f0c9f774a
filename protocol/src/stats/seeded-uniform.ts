/**
 * mulberry32: a small seeded generator of uniform numbers in [0, 1), so resampling and
 * simulations give the same numbers on every run, machine and runtime (the reference script
 * implements the same 32-bit steps). Not for anything secret.
 */

/** Returns a generator of uniform [0, 1) draws determined entirely by `seed`. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
