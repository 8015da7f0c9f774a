/**
 * How numbers read on screen: the units of the metric conventions (seconds, bytes, ratios)
 * turned into short text. Pure; every component formats through these so a value reads the
 * same in a table, a card, a tooltip and a CSV header.
 */

/** The dash shown for a missing or non-finite value. */
export const NONE = '—';

const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A ratio 0..1 as a percentage: 0.423 → "42.3 %". */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  return ok(ratio) ? `${(ratio * 100).toFixed(digits)} %` : NONE;
}

/** Seconds as ms below one second, else seconds: 0.0123 → "12.3 ms", 2.5 → "2.50 s". */
export function formatSeconds(s: number | null | undefined): string {
  if (!ok(s)) return NONE;
  const a = Math.abs(s);
  if (a === 0) return '0 s';
  if (a < 1e-3) return `${(s * 1e6).toFixed(0)} µs`;
  if (a < 1) return `${(s * 1e3).toFixed(a < 0.1 ? 1 : 0)} ms`;
  return `${s.toFixed(2)} s`;
}

/** Bytes in binary units: 1536 → "1.5 KiB". */
export function formatBytes(b: number | null | undefined): string {
  if (!ok(b)) return NONE;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = b;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** A count with thin grouping: 1234567 → "1,234,567". */
export function formatCount(n: number | null | undefined): string {
  return ok(n) ? Math.round(n).toLocaleString('en-US') : NONE;
}

/** A count and its noun, singular for exactly one: (1, 'frame') → "1 frame", (2, 'frame') → "2 frames". */
export function formatCountOf(n: number, noun: string): string {
  return `${formatCount(n)} ${Math.round(n) === 1 ? noun : `${noun}s`}`;
}

/** A plain number with up to `digits` significant figures, for values of unknown unit. */
export function formatNumber(n: number | null | undefined, digits = 4): string {
  if (!ok(n)) return NONE;
  if (n !== 0 && (Math.abs(n) >= 1e6 || Math.abs(n) < 1e-3)) return n.toExponential(2);
  return String(Number(n.toPrecision(digits)));
}

/** A duration in ms as "350 ms", "12 s", "4 min", "3 h", "2 d" (for lag, age, skew). */
export function formatAge(ms: number | null | undefined): string {
  if (!ok(ms)) return NONE;
  const a = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  if (a < 3_600_000) return `${sign}${Math.round(a / 60_000)} min`;
  if (a < 86_400_000) return `${sign}${(a / 3_600_000).toFixed(1)} h`;
  return `${sign}${(a / 86_400_000).toFixed(1)} d`;
}

/** Wall-clock time of a ms timestamp, local time, "HH:MM:SS" (with the date when not today). */
export function formatTime(ts: number | null | undefined, now: number = Date.now()): string {
  if (!ok(ts)) return NONE;
  const d = new Date(ts);
  const pad = (x: number): string => String(x).padStart(2, '0');
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (new Date(now).toDateString() === d.toDateString()) return hms;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hms}`;
}

/** The unit family of a metric name, which decides its axis and its formatter. */
export type UnitKind = 'ratio' | 'seconds' | 'bytes' | 'bytesPerSecond' | 'perSecond' | 'celsius' | 'watts' | 'hertz' | 'count';

/** Unit family of a metric from its name (OpenTelemetry conventions); `rate` for a counter drawn as its rate. */
export function unitOf(name: string, rate = false): UnitKind {
  if (rate) return unitOf(name) === 'bytes' ? 'bytesPerSecond' : 'perSecond';
  if (name.endsWith('.utilization')) return 'ratio';
  if (name.startsWith('gen_ai.client.operation.') || name.startsWith('gen_ai.server.time_') || name.endsWith('.duration') || name.endsWith('.time_to_first_byte') || name.endsWith('.server_time')) return 'seconds';
  if (name.endsWith('.temperature')) return 'celsius';
  if (name.endsWith('.power.draw')) return 'watts';
  if (name.includes('.clock.')) return 'hertz';
  if (name.endsWith('.usage') && !name.startsWith('gen_ai.') || name.endsWith('.limit') || name.endsWith('.io') || name.endsWith('.rss')) return 'bytes';
  return 'count';
}

/** Clock frequency: the conventions say Hz; values under 100 kHz are taken as MHz already. */
export function formatClock(v: number | null | undefined): string {
  if (!ok(v)) return NONE;
  const mhz = v >= 1e5 ? v / 1e6 : v;
  return `${Math.round(mhz)} MHz`;
}

/** The unit as a CSV column or an axis names it. */
export const UNIT_NAMES: Readonly<Record<UnitKind, string>> = {
  ratio: 'ratio', seconds: 's', bytes: 'By', bytesPerSecond: 'By/s', perSecond: '1/s', celsius: 'Cel', watts: 'W', hertz: 'Hz', count: '1',
};

/** Formats `v` for a metric of unit family `kind`. */
export function formatValue(kind: UnitKind, v: number | null | undefined): string {
  switch (kind) {
    case 'ratio': return formatPercent(v);
    case 'seconds': return formatSeconds(v);
    case 'bytes': return formatBytes(v);
    case 'bytesPerSecond': return ok(v) ? `${formatBytes(v)}/s` : NONE;
    case 'perSecond': return ok(v) ? `${formatNumber(v, 3)}/s` : NONE;
    case 'celsius': return ok(v) ? `${v.toFixed(0)} °C` : NONE;
    case 'watts': return ok(v) ? `${v.toFixed(0)} W` : NONE;
    case 'hertz': return formatClock(v);
    case 'count': return formatNumber(v);
  }
}
