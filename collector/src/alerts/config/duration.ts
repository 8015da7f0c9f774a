/** Durations in config: `500ms`, `30s`, `5m`, `4h`, `1d`, or a number of milliseconds. */
import { ConfigError } from '@sigmascope/protocol/config-error';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds in [minMs, maxMs]; a ConfigError naming `where` and the value otherwise. */
export function durationValue(raw: unknown, where: string, minMs: number, maxMs: number): number {
  let ms: number | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) ms = raw;
  else if (typeof raw === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(raw);
    if (m) ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < minMs || ms > maxMs) {
    throw new ConfigError(where, `${JSON.stringify(raw)} is not a duration between ${formatDuration(minMs)} and ${formatDuration(maxMs)} (e.g. 500ms, 60s, 5m, 4h)`);
  }
  return Math.round(ms);
}

/** A duration the way a person writes it: 90000 → `90s`, 14400000 → `4h`. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
