/**
 * Sigmascope's anomaly detector on the NAB subset: scores every file with one detector setting,
 * turns scores into events for a threshold (the detector's own episode rule), and scores the
 * events with NAB's scorer, per profile. The tuning sweep lives in bench/nab-score.mjs.
 */
import { detectAnomalies } from '../../protocol/src/anomaly/detect-series.ts';
import type { AnomalyOptions } from '../../protocol/src/anomaly/anomaly-options.ts';
import type { NabFile } from './nab-corpus.ts';
import { nabBounds, NAB_PROFILES, normalisedScore, scoreFile } from './nab-scorer.ts';
import type { NabProfileName } from './nab-scorer.ts';

export { loadNabCorpus } from './nab-corpus.ts';
export { NAB_PROFILES } from './nab-scorer.ts';
export { anomalyOptions, DEFAULT_ANOMALY_OPTIONS } from '../../protocol/src/anomaly/anomaly-options.ts';

/** Every file's per-point scores under one setting (the threshold plays no part in a score). */
export function scoreCorpus(files: readonly NabFile[], options: AnomalyOptions): Float64Array[] {
  return files.map((f) => detectAnomalies(f.ts, f.values, options).scores);
}

/**
 * Event indices for a threshold: the first point of each episode, an episode ending after
 * `quietPoints` points below the threshold (AnomalyDetector's rule, on its scores).
 */
export function eventsAt(scores: Float64Array, threshold: number, quietPoints: number): number[] {
  const out: number[] = [];
  let inEpisode = false;
  let quiet = 0;
  for (let i = 0; i < scores.length; i++) {
    if ((scores[i] as number) >= threshold) {
      quiet = 0;
      if (!inEpisode) {
        inEpisode = true;
        out.push(i);
      }
    } else if (inEpisode && ++quiet >= quietPoints) inEpisode = false;
  }
  return out;
}

export interface NabResult {
  readonly profile: NabProfileName;
  readonly score: number;
  readonly raw: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly windows: number;
  readonly perFile: readonly { readonly name: string; readonly role: string; readonly raw: number; readonly tp: number; readonly fp: number; readonly fn: number }[];
}

/** NAB's normalised score of the given files' events under one profile. */
export function nabScore(files: readonly NabFile[], events: readonly (readonly number[])[], profile: NabProfileName): NabResult {
  const p = NAB_PROFILES[profile];
  let raw = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let windows = 0;
  const perFile = files.map((f, i) => {
    const s = scoreFile(f.values.length, f.windows, events[i] ?? [], p);
    raw += s.raw;
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
    windows += s.windows;
    return { name: f.name, role: f.role, raw: s.raw, tp: s.tp, fp: s.fp, fn: s.fn };
  });
  const bounds = nabBounds(files.map((f) => ({ n: f.values.length, windows: f.windows })), p);
  return { profile, score: normalisedScore(raw, bounds), raw, tp, fp, fn, windows, perFile };
}

/** Every point whose score reaches the threshold: how NAB itself turns scores into detections. */
export function detectionsAbove(scores: ArrayLike<number>, threshold: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if ((scores[i] as number) >= threshold) out.push(i);
  return out;
}

/** NAB's random detector on one file: uniform scores in [0, 1), seeded (mulberry32). */
export function randomScores(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}
