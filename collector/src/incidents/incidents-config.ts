/**
 * The `incidents:` section of the collector config (docs/configuration.md): how often the
 * detector runs, how much history its baselines cover, how long a finding must hold before it
 * opens an incident and how long its signals must be back in control before it resolves.
 * Validated once with the value and its place in every message; frozen.
 */
import { boolValue, intValue, section } from '@sigmascope/protocol/config-fields';

export interface IncidentsConfig {
  readonly enabled: boolean;
  /** One detection pass every this many ms. */
  readonly intervalMs: number;
  /** History each series' baseline covers (ms). */
  readonly baselineMs: number;
  /** A provider, host or network finding must hold this long before its incident opens (ms). */
  readonly settleMs: number;
  /** The same for a finding of unknown cause: one series alone, so it must hold longer (ms). */
  readonly unknownSettleMs: number;
  /** An incident resolves once all its signals have been back in control this long (ms). */
  readonly resolveAfterMs: number;
  /** A shift that lasts this long becomes the new baseline (ms). */
  readonly rebaselineAfterMs: number;
}

export const DEFAULT_INCIDENTS_CONFIG: IncidentsConfig = Object.freeze({
  enabled: true,
  intervalMs: 5_000,
  baselineMs: 10 * 60_000,
  settleMs: 20_000,
  unknownSettleMs: 60_000,
  resolveAfterMs: 180_000,
  rebaselineAfterMs: 60 * 60_000,
});

const KEYS = ['enabled', 'intervalSeconds', 'baselineMinutes', 'settleSeconds', 'unknownSettleSeconds', 'resolveAfterSeconds', 'rebaselineAfterMinutes'] as const;

/** Reads the section (`where` names it in messages, e.g. "collector.yaml: incidents"). */
export function incidentsConfig(raw: unknown, where: string): IncidentsConfig {
  const f = section(raw, where, KEYS);
  const d = DEFAULT_INCIDENTS_CONFIG;
  const at = (k: string): string => `${where}.${k}`;
  const seconds = (k: string, fallback: number, min: number, max: number): number => (f[k] === undefined ? fallback : intValue(f[k], at(k), min, max) * 1000);
  const minutes = (k: string, fallback: number, min: number, max: number): number => (f[k] === undefined ? fallback : intValue(f[k], at(k), min, max) * 60_000);
  return Object.freeze({
    enabled: f.enabled === undefined ? d.enabled : boolValue(f.enabled, at('enabled')),
    intervalMs: seconds('intervalSeconds', d.intervalMs, 1, 300),
    baselineMs: minutes('baselineMinutes', d.baselineMs, 2, 24 * 60),
    settleMs: seconds('settleSeconds', d.settleMs, 0, 3_600),
    unknownSettleMs: seconds('unknownSettleSeconds', d.unknownSettleMs, 0, 3_600),
    resolveAfterMs: seconds('resolveAfterSeconds', d.resolveAfterMs, 10, 86_400),
    rebaselineAfterMs: minutes('rebaselineAfterMinutes', d.rebaselineAfterMs, 5, 7 * 24 * 60),
  });
}
