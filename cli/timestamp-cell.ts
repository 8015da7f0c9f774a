/**
 * A CSV cell as a time in ms since the epoch: ISO 8601 (with or without a zone; without one it is
 * UTC), "YYYY-MM-DD HH:MM[:SS[.fff]]" (UTC, as NAB and most exports write it), or an epoch number
 * (seconds below 10¹¹, else milliseconds). Pure; null for anything else.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^\d{1,16}(\.\d+)?$/;

/** The time a cell holds, or null. */
export function parseTimestamp(cell: string): number | null {
  const s = cell.trim();
  if (EPOCH.test(s)) {
    const n = Number(s);
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  const m = DATE_TIME.exec(s);
  if (m === null) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac === '' ? '' : `.${frac.padEnd(3, '0').slice(0, 3)}`}${zone === undefined ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const t = Date.parse(iso);
  // Date.parse rolls 2024-02-30 over to March: refuse dates that do not exist.
  if (!Number.isFinite(t)) return null;
  const back = new Date(t + (zone === undefined || zone === 'Z' ? 0 : offsetMs(zone)));
  return back.getUTCDate() === Number(d) && back.getUTCMonth() + 1 === Number(mo) ? t : null;
}

function offsetMs(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[^0-9]/g, '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}
