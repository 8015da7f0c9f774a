/**
 * Samples stamped far ahead of the collector's clock are set apart (quarantined), not stored in
 * their series. Timestamps belong to the producer, and a clock minutes or an hour off is stored
 * as sent and flagged as skew; but a clock a day or a year ahead would leave a "latest value"
 * that stays latest until that day, and chunks that retention, which counts back from now, never
 * reaches. The rest of the frame is stored as usual and the whole frame is acknowledged.
 *
 *   batch ── every ts ≤ receivedAt + tolerance? ── yes ─▶ stored as received (no copy)
 *                                              └── no ──▶ the other samples re-encoded as the frame
 *                                                         + the far-future ones → quarantine
 */
import { BatchBuilder, readBatch } from '@sigmascope/protocol/batch';
import { encodeFrame } from '@sigmascope/protocol/codec';
import type { BatchFrame } from '@sigmascope/protocol/frames';
import { series } from '@sigmascope/protocol/series';
import type { FutureSample } from '../store/store.ts';

/** Default tolerance: far beyond any skew the agent health view flags, well short of a wrong day. */
export const DEFAULT_FUTURE_TOLERANCE_MS = 6 * 3_600_000;

export interface FutureSplit {
  /** The frame without its far-future samples (same seq, same events), and its bytes. */
  readonly frame: BatchFrame;
  readonly bytes: Uint8Array;
  readonly future: readonly FutureSample[];
}

/** Splits off the samples of `frame` stamped after `limitTs`; null when there are none (the common case, O(samples)). */
export function splitFutureSamples(frame: BatchFrame, limitTs: number): FutureSplit | null {
  const { t0, dt } = frame;
  let latest = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < dt.length; k++) if ((dt[k] as number) > latest) latest = dt[k] as number;
  if (t0 + latest <= limitTs) return null;
  const kept = new BatchBuilder();
  const future: FutureSample[] = [];
  for (const s of readBatch(frame)) {
    const id = series(s.name, s.labels);
    for (let i = 0; i < s.ts.length; i++) {
      const ts = s.ts[i] as number;
      const value = s.values[i] as number;
      if (ts > limitTs) future.push({ name: s.name, labels: s.labels, ts, value });
      else kept.add(id, ts, value);
    }
  }
  for (const e of frame.ev) kept.addEvent(e);
  const rest = kept.seal(frame.seq, t0);
  return { frame: rest, bytes: encodeFrame(rest), future };
}
