/**
 * The Numenta Anomaly Benchmark's scoring, written from its definition (Lavin & Ahmad 2015,
 * "Evaluating Real-time Anomaly Detection Algorithms – the Numenta Anomaly Benchmark", and the
 * scoring rules in tests/fixtures/anomaly/README.md):
 *
 *   probation   the first min(⌊0.15·n⌋, 750) points of a file are not scored at all
 *   window      a detection inside a labelled window is a true positive; only the earliest counts,
 *               worth tpWeight · σ̃(p) / σ̃(−1), p = −(right − i + 1) / width  (p ∈ [−1, 0))
 *   missed      a window without a detection costs −fnWeight
 *   false       a detection outside every window is worth fpWeight · σ̃(p), p = |i − right of the
 *               previous window| / (its width − 1), or p = 3 (σ̃ = −1) before the first window
 *   σ̃(p)       = 2 / (1 + e^{5p}) − 1, and −1 for p ≥ 3
 *   normalised  100 · (raw − null) / (perfect − null), raw summed over the files scored together:
 *               null = no detection (every window missed), perfect = each window's first point
 *
 * Pure; indices are 0-based positions in the file.
 */

/** A cost matrix (NAB's "profile"). */
export interface NabProfile {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** NAB's three application profiles. */
export const NAB_PROFILES: Readonly<Record<'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate', NabProfile>> = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
};

export type NabProfileName = keyof typeof NAB_PROFILES;

/** One labelled window as first and last index (inclusive). */
export type NabWindow = readonly [number, number];

export interface NabFileScore {
  readonly raw: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  /** Windows that hold at least one scored point. */
  readonly windows: number;
}

/** Points of a file of `n` rows that are not scored. */
export function probationLength(n: number): number {
  return Math.min(Math.floor(0.15 * n), 0.15 * 5000);
}

/** NAB's scaled sigmoid of a relative position. */
export function scaledSigmoid(p: number): number {
  return p >= 3 ? -1 : 2 / (1 + Math.exp(5 * p)) - 1;
}

const MAX_TP = scaledSigmoid(-1);

/** Scores one file: `detections` are indices flagged by the detector (any order, repeats ignored). */
export function scoreFile(n: number, windows: readonly NabWindow[], detections: Iterable<number>, profile: NabProfile): NabFileScore {
  const probation = probationLength(n);
  const flagged = new Uint8Array(n);
  for (const i of detections) if (Number.isInteger(i) && i >= 0 && i < n) flagged[i] = 1;
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  let raw = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let scored = 0;
  let w = 0;
  let prev: NabWindow | null = null;
  let best: number | null = null;
  let open: NabWindow | null = null;
  const closeWindow = (): void => {
    if (open === null) return;
    if (open[1] >= probation) {
      scored++;
      if (best === null) {
        fn++;
        raw -= profile.fnWeight;
      } else {
        tp++;
        raw += best;
      }
    }
    prev = open;
    open = null;
    best = null;
  };
  for (let i = 0; i < n; i++) {
    if (open === null && w < sorted.length && i === (sorted[w] as NabWindow)[0]) open = sorted[w++] as NabWindow;
    if (open !== null) {
      if (i >= probation && flagged[i] === 1) {
        const width = open[1] - open[0] + 1;
        const s = (profile.tpWeight * scaledSigmoid(-(open[1] - i + 1) / width)) / MAX_TP;
        best = best === null ? s : Math.max(best, s);
      }
      if (i === open[1]) closeWindow();
      continue;
    }
    if (i < probation || flagged[i] !== 1) continue;
    const p: NabWindow | null = prev;
    const position = p === null ? 3 : Math.abs(i - p[1]) / (p[1] - p[0]);
    raw += profile.fpWeight * scaledSigmoid(position);
    fp++;
  }
  closeWindow();
  return { raw, tp, fp, fn, windows: scored };
}

/** The raw scores of the null and the perfect detector on the same files. */
export function nabBounds(files: readonly { n: number; windows: readonly NabWindow[] }[], profile: NabProfile): { null: number; perfect: number } {
  let none = 0;
  let perfect = 0;
  for (const f of files) {
    const probation = probationLength(f.n);
    none += scoreFile(f.n, f.windows, [], profile).raw;
    perfect += scoreFile(f.n, f.windows, f.windows.map((w) => Math.max(w[0], Math.ceil(probation))), profile).raw;
  }
  return { null: none, perfect };
}

/** NAB's normalised score. */
export function normalisedScore(raw: number, bounds: { null: number; perfect: number }): number {
  return (100 * (raw - bounds.null)) / (bounds.perfect - bounds.null);
}
