/**
 * The collector's configuration: defaults, then the config file, then the environment, then
 * flags; validated once and frozen. The only collector module that reads the environment.
 */
import { join, resolve } from 'node:path';
import { enumValue, intValue, section, stringValue, layeredPicker } from '@sigmascope/protocol/config-fields';
import { clockSettingsFromEnv } from '@sigmascope/protocol/clock';
import type { ClockSettings } from '@sigmascope/protocol/clock';
import type { LogLevel } from '@sigmascope/protocol/log';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { DEFAULT_FUTURE_TOLERANCE_MS } from '../ingest/future-samples.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../ingest/connection-caps.ts';
import { parseServerTls } from './tls-config.ts';
import type { ServerTlsSettings, TlsFlags } from './tls-config.ts';
import { DEFAULT_SERIES_LIMITS } from '../ingest/series-admission.ts';
import { incidentsConfig } from '../incidents/incidents-config.ts';
import type { IncidentsConfig } from '../incidents/incidents-config.ts';
import { DEFAULT_RETENTION } from '../store/retention/retention-policy.ts';
import type { RetentionPolicy } from '../store/retention/retention-policy.ts';
import { loadAlertsConfig } from '../alerts/config/alerts-config.ts';
import type { AlertsConfig } from '../alerts/config/alerts-config.ts';
import { loadSloConfig } from '../slo/slo-config.ts';
import type { SloConfig } from '../slo/slo-config.ts';
import { loadScaleOutConfig } from './export-config.ts';
import type { ScaleOutConfig } from './export-config.ts';
import { parseAnalyticsConfig } from '../analytics/analytics-config.ts';
import type { AnalyticsConfig } from '../analytics/analytics-config.ts';

export interface CollectorConfig {
  readonly dataDir: string;
  readonly listen: string;
  readonly port: number;
  /** Milliseconds between live frames pushed to open pages. */
  readonly liveIntervalMs: number;
  /** Samples stamped more than this far ahead of the collector's clock are quarantined, not stored in their series (ms). */
  readonly futureToleranceMs: number;
  /** Open agent connections at most; beyond it an upgrade is refused 503. One per agent regardless. */
  readonly maxConnections: number;
  /** Series kept at most per agent and in all (new series beyond them are refused and counted; series-admission.ts). */
  readonly series: { readonly maxPerAgent: number; readonly maxTotal: number };
  /** Failed authentications from one address per minute before 429. */
  readonly authFailureLimit: number;
  /** The database file's cap in bytes (past it, writes fail as on a full disk), or null: none. */
  readonly maxDatabaseBytes: number | null;
  /** How long each resolution is kept (ms): raw chunks, 10 s, 1 min and 1 h tiers. */
  readonly retention: RetentionPolicy;
  readonly log: { readonly level: LogLevel };
  /** The data's clock: the system's unless a soak test runs it faster (protocol/src/clock.ts). */
  readonly clock: ClockSettings;
  /** https and wss on the collector's port (tls-config.ts); null: plain http. */
  readonly tls: ServerTlsSettings | null;
  /** Channels, rules and delivery of alerts (docs/alerts.md). */
  readonly alerts: AlertsConfig;
  /** Spec limits for process capability (docs/alerts.md, "SLOs"). */
  readonly slos: readonly SloConfig[];
  /** Remote-write and OTLP endpoints and the query backend (export-config.ts). */
  readonly scaleOut: ScaleOutConfig;
  /** Incident detection (collector/src/incidents/incidents-config.ts). */
  readonly incidents: IncidentsConfig;
  /** Anomaly scan and capacity settings (analytics-config.ts). */
  readonly analytics: AnalyticsConfig;
}

export interface CollectorFlags extends TlsFlags {
  readonly port?: number;
  readonly listen?: string;
  readonly data?: string;
}

export function loadCollectorConfig(file: Record<string, unknown> | undefined, fileName: string, env: Readonly<Record<string, string | undefined>>, flags: CollectorFlags): CollectorConfig {
  const f = section(file ?? {}, fileName, ['data', 'listen', 'port', 'live', 'ingest', 'store', 'auth', 'retention', 'log', 'alerts', 'slos', 'remoteWrite', 'otlp', 'query', 'tls', 'incidents', 'analytics']);
  const at = (k: string): string => `${fileName}: ${k}`;
  const live = section(f.live, at('live'), ['intervalMs']);
  const auth = section(f.auth, at('auth'), ['failureLimit']);
  const ingest = section(f.ingest, at('ingest'), ['futureToleranceMinutes', 'maxSeriesPerAgent', 'maxSeries', 'maxConnections']);
  const store = section(f.store, at('store'), ['maxSizeMb']);
  const log = section(f.log, at('log'), ['level']);
  const retention = section(f.retention, at('retention'), ['raw', 'tier10s', 'tier1m', 'tier1h']);
  // Whole days (7), or hours with a unit ("6h") for a test that lives through a compressed day.
  const days = (key: string, fallbackMs: number): number => {
    const raw = retention[key];
    if (raw === undefined) return fallbackMs;
    const hours = typeof raw === 'string' ? /^\s*(\d+)\s*h\s*$/.exec(raw) : null;
    if (hours !== null) return intValue(hours[1], at(`retention.${key}`), 1, 876_000) * 3_600_000;
    return intValue(raw, at(`retention.${key}`), 1, 36_500) * 86_400_000;
  };
  // Each value: flag, else environment, else file, else default, checked with the name of its source.
  const pick = layeredPicker(env, at);
  const maxPerAgent = pick(undefined, '', null, ingest.maxSeriesPerAgent, 'ingest.maxSeriesPerAgent', (r, w) => intValue(r, w, 1, 10_000_000), DEFAULT_SERIES_LIMITS.maxPerAgent);
  const maxTotal = pick(undefined, '', null, ingest.maxSeries, 'ingest.maxSeries', (r, w) => intValue(r, w, 1, 100_000_000), DEFAULT_SERIES_LIMITS.maxTotal);
  if (maxPerAgent > maxTotal) throw new ConfigError(at('ingest.maxSeriesPerAgent'), `${maxPerAgent} is above ingest.maxSeries (${maxTotal})`);
  return Object.freeze({
    dataDir: resolve(pick(flags.data, '--data', 'SIGMASCOPE_DATA', f.data, 'data', (r, w) => stringValue(r, w), join('.sigmascope', 'collector'))),
    listen: pick(flags.listen, '--listen', 'SIGMASCOPE_LISTEN', f.listen, 'listen', (r, w) => stringValue(r, w, /^[0-9a-fA-F.:]+$|^localhost$/, 'an IP address'), '0.0.0.0'),
    port: pick(flags.port, '--port', 'SIGMASCOPE_PORT', f.port, 'port', (r, w) => intValue(r, w, 0, 65_535), 7300),
    liveIntervalMs: pick(undefined, '', null, live.intervalMs, 'live.intervalMs', (r, w) => intValue(r, w, 20, 10_000), 100),
    retention: Object.freeze({
      rawMs: days('raw', DEFAULT_RETENTION.rawMs),
      tier10sMs: days('tier10s', DEFAULT_RETENTION.tier10sMs),
      tier1mMs: days('tier1m', DEFAULT_RETENTION.tier1mMs),
      tier1hMs: days('tier1h', DEFAULT_RETENTION.tier1hMs),
    }),
    maxDatabaseBytes: store.maxSizeMb === undefined ? null : intValue(store.maxSizeMb, at('store.maxSizeMb'), 1, 100_000_000) * 1_048_576,
    futureToleranceMs: pick(undefined, '', null, ingest.futureToleranceMinutes, 'ingest.futureToleranceMinutes', (r, w) => intValue(r, w, 1, 525_600), DEFAULT_FUTURE_TOLERANCE_MS / 60_000) * 60_000,
    maxConnections: pick(undefined, '', null, ingest.maxConnections, 'ingest.maxConnections', (r, w) => intValue(r, w, 1, 1_000_000), DEFAULT_MAX_CONNECTIONS),
    series: Object.freeze({ maxPerAgent, maxTotal }),
    authFailureLimit: pick(undefined, '', null, auth.failureLimit, 'auth.failureLimit', (r, w) => intValue(r, w, 1, 100_000), 20),
    alerts: loadAlertsConfig(f.alerts, at('alerts'), env),
    slos: loadSloConfig(f.slos, at('slos')),
    scaleOut: loadScaleOutConfig(f, at, env),
    incidents: incidentsConfig(f.incidents, at('incidents')),
    analytics: parseAnalyticsConfig(f.analytics, at('analytics')),
    log: Object.freeze({ level: pick(undefined, '', 'SIGMASCOPE_LOG_LEVEL', log.level, 'log.level', (r, w) => enumValue(r, w, ['debug', 'info', 'warn', 'error'] as const), 'info') }),
    clock: clockSettingsFromEnv(env),
    tls: parseServerTls(f.tls, at('tls'), pick, flags),
  });
}
