/**
 * The collector's `alerts:` block (DESIGN.md "Alerts", docs/alerts.md): channels, rules, the
 * repeat interval, how often rules run, and how deliveries are retried. Called once by the
 * collector's config module; the result is frozen.
 */
import { channelConfigs } from './channel-config.ts';
import type { ChannelConfig } from './channel-config.ts';
import { durationValue } from './duration.ts';
import { ruleConfigs } from './rule-config.ts';
import type { RuleConfig } from './rule-config.ts';
import { strictSection } from './strict-keys.ts';

/** How the outbox retries: exponential backoff from baseMs to capMs with jitter, each attempt bounded by timeoutMs. */
export interface DeliveryConfig {
  readonly timeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** A notification still undelivered this long after it was queued is given up (failed). */
  readonly giveUpAfterMs: number;
}

export interface AlertsConfig {
  readonly channels: readonly ChannelConfig[];
  readonly rules: readonly RuleConfig[];
  /** A firing, unacknowledged alert is notified again this often. */
  readonly repeatIntervalMs: number;
  /** Rules are evaluated this often. */
  readonly evaluateEveryMs: number;
  readonly delivery: DeliveryConfig;
}

export const DEFAULT_DELIVERY: DeliveryConfig = Object.freeze({ timeoutMs: 10_000, backoffBaseMs: 1_000, backoffCapMs: 300_000, giveUpAfterMs: 86_400_000 });

/** Parses `alerts:` (absent: no channels, no rules). Throws a ConfigError naming the bad value. */
export function loadAlertsConfig(raw: unknown, where: string, env: Readonly<Record<string, string | undefined>>): AlertsConfig {
  const s = strictSection(raw, where, ['channels', 'rules', 'repeatInterval', 'evaluateEvery', 'delivery']);
  const channels = channelConfigs(s.channels, `${where}.channels`, env);
  const d = strictSection(s.delivery, `${where}.delivery`, ['timeout', 'backoffBase', 'backoffCap', 'giveUpAfter']);
  const ms = (v: unknown, key: string, min: number, max: number, fallback: number): number => (v === undefined ? fallback : durationValue(v, `${where}.${key}`, min, max));
  const backoffBaseMs = ms(d.backoffBase, 'delivery.backoffBase', 10, 3_600_000, DEFAULT_DELIVERY.backoffBaseMs);
  return Object.freeze({
    channels: Object.freeze(channels),
    rules: Object.freeze(ruleConfigs(s.rules, `${where}.rules`, new Set(channels.map((c) => c.name)))),
    repeatIntervalMs: ms(s.repeatInterval, 'repeatInterval', 60_000, 30 * 86_400_000, 4 * 3_600_000),
    evaluateEveryMs: ms(s.evaluateEvery, 'evaluateEvery', 100, 3_600_000, 10_000),
    delivery: Object.freeze({
      timeoutMs: ms(d.timeout, 'delivery.timeout', 100, 300_000, DEFAULT_DELIVERY.timeoutMs),
      backoffBaseMs,
      backoffCapMs: ms(d.backoffCap, 'delivery.backoffCap', backoffBaseMs, 86_400_000, Math.max(backoffBaseMs, DEFAULT_DELIVERY.backoffCapMs)),
      giveUpAfterMs: ms(d.giveUpAfter, 'delivery.giveUpAfter', 1_000, 30 * 86_400_000, DEFAULT_DELIVERY.giveUpAfterMs),
    }),
  });
}
