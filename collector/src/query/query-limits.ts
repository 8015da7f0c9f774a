/**
 * The bounds every query answer respects, and the automatic step: the answer never holds more
 * than MAX_SERIES series or MAX_POINTS_PER_SERIES points per series, nor MAX_TOTAL_POINTS in all.
 */
export const MAX_SERIES = 1_000;
export const MAX_POINTS_PER_SERIES = 20_000;
export const MAX_TOTAL_POINTS = 1_000_000;
/** Raw answers are given while a series holds at most this many points at 2 Hz. */
export const RAW_POINTS = 2_000;

const NICE_STEPS = [10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

/** Step for a range with at most `points` buckets per series; undefined = raw points fit. */
export function autoStep(from: number, to: number, points: number): number | undefined {
  const span = to - from;
  if (span / 500 <= Math.min(points, RAW_POINTS)) return undefined;
  for (const s of NICE_STEPS) if (span / s <= points) return s;
  return Math.ceil(span / points / 86_400_000) * 86_400_000;
}
