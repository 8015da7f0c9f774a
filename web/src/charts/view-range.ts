/**
 * Zoom and pan of a time axis without a plugin: the visible window is a {min, max} pair that
 * the panel hands to the Chart.js x scale. Pure arithmetic, clamped to the data bounds.
 */

/** The visible part of the x axis, in ms. */
export interface ViewRange {
  readonly min: number;
  readonly max: number;
}

/** The narrowest window a zoom can reach. */
export const MIN_SPAN_MS = 2_000;

/** Clamps a window inside `bounds`, keeping its span when it fits. */
export function clampView(view: ViewRange, bounds: ViewRange): ViewRange {
  const span = Math.min(Math.max(view.max - view.min, MIN_SPAN_MS), bounds.max - bounds.min);
  let min = Math.max(view.min, bounds.min);
  if (min + span > bounds.max) min = bounds.max - span;
  return { min, max: min + span };
}

/** Zooms by `factor` (< 1 zooms in) keeping the point `at` under the pointer. */
export function zoomAt(view: ViewRange, at: number, factor: number, bounds: ViewRange): ViewRange {
  const f = (at - view.min) / (view.max - view.min || 1);
  const span = (view.max - view.min) * factor;
  const min = at - f * span;
  return clampView({ min, max: min + span }, bounds);
}

/** Moves the window by `fraction` of its span (negative: back in time). */
export function panBy(view: ViewRange, fraction: number, bounds: ViewRange): ViewRange {
  const d = (view.max - view.min) * fraction;
  return clampView({ min: view.min + d, max: view.max + d }, bounds);
}

/** The window a drag selected from `a` to `b` (either order); null when it is too narrow. */
export function fromSelection(a: number, b: number): ViewRange | null {
  const min = Math.min(a, b);
  const max = Math.max(a, b);
  return max - min >= MIN_SPAN_MS ? { min, max } : null;
}

/** True when the view shows all of `bounds` (so the panel is "not zoomed"). */
export function isFull(view: ViewRange, bounds: ViewRange): boolean {
  return view.min <= bounds.min && view.max >= bounds.max;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);

/** A clock-friendly tick step (1 s … 1 d) giving at most `maxTicks` ticks over `spanMs`. */
export function timeTickStep(spanMs: number, maxTicks: number): number {
  const want = spanMs / Math.max(1, maxTicks);
  return STEPS.find((s) => s >= want) ?? Math.ceil(want / 86_400_000) * 86_400_000;
}

/**
 * Tick positions at whole multiples of `step` inside [min, max]. The charts set these themselves:
 * Chart.js's own stepSize handling snaps to the bounds when a ms range is "almost whole".
 */
export function timeTicks(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max && out.length < 500; t += step) out.push(t);
  return out;
}

/**
 * Byte axis ticks on binary steps (1, 2, 4 … 512 × 1024^k: 256 MiB, 512 MiB, 768 MiB, not
 * 200 MB, 400 MB), at most `maxTicks` of them over [min, max].
 */
export function binaryTicks(min: number, max: number, maxTicks: number): number[] {
  const span = Math.max(max - min, 1);
  const want = span / Math.max(1, maxTicks);
  let step = 1;
  while (step < want) step *= 2;
  return timeTicks(min, max, step);
}
