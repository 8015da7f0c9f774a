/**
 * The time range every view shows: a span ending now (live) or at a fixed instant. Pure.
 */

/** A span in ms ending at `end` (ms), or at "now" while `end` is null (live mode). */
export interface TimeRange {
  readonly spanMs: number;
  readonly end: number | null;
}

/** The spans the picker offers. */
export const RANGE_PRESETS: readonly { readonly label: string; readonly spanMs: number }[] = [
  { label: '5 min', spanMs: 5 * 60_000 },
  { label: '15 min', spanMs: 15 * 60_000 },
  { label: '1 h', spanMs: 3_600_000 },
  { label: '6 h', spanMs: 6 * 3_600_000 },
  { label: '24 h', spanMs: 86_400_000 },
  { label: '7 d', spanMs: 7 * 86_400_000 },
];

/** The range a page opens with: the last 15 minutes, live. */
export const DEFAULT_RANGE: TimeRange = { spanMs: 15 * 60_000, end: null };

/** Concrete bounds of a range at time `now`. */
export function rangeBounds(range: TimeRange, now: number): { from: number; to: number } {
  const to = range.end ?? now;
  return { from: to - range.spanMs, to };
}

/** `from=…&to=…` for the API, rounded to whole ms. */
export function rangeQuery(range: TimeRange, now: number): string {
  const { from, to } = rangeBounds(range, now);
  return `from=${Math.floor(from)}&to=${Math.ceil(to)}`;
}

/** Value of a `<input type="datetime-local">` for a ms timestamp, in local time. */
export function toLocalInput(ts: number): string {
  const d = new Date(ts);
  const pad = (x: number): string => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Parses a `datetime-local` value (local time) to ms; null when empty or invalid. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const ts = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)).getTime();
  return Number.isFinite(ts) ? ts : null;
}
