/** Parsing of /proc/loadavg. Pure. */

/** The 1-minute load average: the first field of /proc/loadavg, or null when it is not a number. */
export function parseLoadAverage1m(text: string): number | null {
  const first = text.trimStart().split(/\s/, 1)[0];
  if (first === undefined || first === '') return null;
  const n = Number(first);
  return Number.isFinite(n) && n >= 0 ? n : null;
}
