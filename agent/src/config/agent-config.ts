/**
 * The agent's configuration: defaults, then the config file, then the environment, then flags;
 * validated once, frozen, passed in. A bad value fails at start with the value in the message.
 * The only agent module that reads process.env (through the `env` argument).
 */
import { join, resolve } from 'node:path';
import { readTokenLines } from './token-file.ts';
import { parseUplinkTls } from './tls-config.ts';
import type { UplinkTlsFlags, UplinkTlsSettings } from './tls-config.ts';
import { bytesValue, enumValue, intValue, section, stringValue, urlValue, boolValue, layeredPicker } from '@sigmascope/protocol/config-fields';
import { clockSettingsFromEnv } from '@sigmascope/protocol/clock';
import type { ClockSettings } from '@sigmascope/protocol/clock';
import { ConfigError } from '@sigmascope/protocol/config-error';
import type { LogLevel } from '@sigmascope/protocol/log';
import { parseProbesConfig } from '../probes/probes-config.ts';
import type { ProbesConfig } from '../probes/probes-config.ts';
import { parseSpcConfig } from '../spc/spc-config.ts';
import { SOURCE_NAMES } from '../telemetry/registry.ts';
import type { SpcConfig } from '../spc/spc-config.ts';
import { parseAnomalyConfig } from '../anomaly/anomaly-config.ts';
import type { AnomalyConfig } from '../anomaly/anomaly-config.ts';

export interface AgentConfig {
  readonly dataDir: string;
  readonly name: string | null;
  readonly collector: {
    readonly url: string | null;
    /** The first token; `tokens` holds every one given (a rotation's new and old). */
    readonly token: string | null;
    readonly tokens: readonly string[];
    /** The token file, read again at every reconnect (null: the tokens came otherwise, or from stdin). */
    readonly tokenFile: string | null;
    readonly tls: UplinkTlsSettings;
  };
  readonly status: { readonly enabled: boolean; readonly listen: string; readonly port: number; readonly tokenFile: string | null };
  readonly sampler: { readonly intervalMs: number; readonly deadlineMs: number };
  readonly buffer: { readonly capBytes: number };
  readonly uplink: {
    readonly window: number;
    readonly backoffBaseMs: number;
    readonly backoffCapMs: number;
    readonly pingIntervalMs: number;
    readonly pingTimeoutMs: number;
    /** With frames in flight, no ack for this long: the collector is stuck; reconnect. */
    readonly ackTimeoutMs: number;
  };
  readonly telemetry: { readonly procRoot: string; readonly gpu: boolean; readonly nvidiaSmi: string; readonly gpuIntervalMs: number; readonly sources: readonly string[] | null };
  readonly probes: ProbesConfig;
  readonly spc: SpcConfig;
  readonly anomaly: AnomalyConfig;
  /** Master key for the provider key store (SIGMASCOPE_MASTER_KEY); null: the 0600 key file in the data dir. */
  readonly masterKey: string | null;
  readonly log: { readonly level: LogLevel };
  /** The data's clock: the system's unless a soak test runs it faster (protocol/src/clock.ts). */
  readonly clock: ClockSettings;
}

/** Flags of `sigmascope agent` that override the file and the environment. */
export interface AgentFlags extends UplinkTlsFlags {
  readonly collector?: string;
  readonly token?: string;
  /** A file holding the token, `-` for stdin: the way to pass it that `ps` does not show. */
  readonly tokenFile?: string;
  readonly statusPort?: number;
  readonly statusListen?: string;
  readonly data?: string;
  readonly name?: string;
}

const TOP = ['data', 'name', 'collector', 'status', 'sampler', 'buffer', 'uplink', 'telemetry', 'probes', 'spc', 'anomaly', 'log'] as const;

/** Builds the frozen agent configuration. Throws ConfigError naming the first bad value. */
export function loadAgentConfig(file: Record<string, unknown> | undefined, fileName: string, env: Readonly<Record<string, string | undefined>>, flags: AgentFlags): AgentConfig {
  const f = section(file ?? {}, fileName, TOP);
  const at = (k: string): string => `${fileName}: ${k}`;
  const collector = section(f.collector, at('collector'), ['url', 'token', 'tokenFile', 'caFile', 'certFile', 'keyFile', 'insecure']);
  const status = section(f.status, at('status'), ['enabled', 'listen', 'port', 'tokenFile']);
  const sampler = section(f.sampler, at('sampler'), ['intervalMs', 'deadlineMs']);
  const buffer = section(f.buffer, at('buffer'), ['capBytes']);
  const uplink = section(f.uplink, at('uplink'), ['window', 'backoffBaseMs', 'backoffCapMs', 'pingIntervalMs', 'pingTimeoutMs', 'ackTimeoutMs']);
  const telemetry = section(f.telemetry, at('telemetry'), ['procRoot', 'gpu', 'nvidiaSmi', 'gpuIntervalMs', 'sources']);
  const log = section(f.log, at('log'), ['level']);

  // Each value: flag, else environment, else file, else default, checked with the name of its source.
  const pick = layeredPicker(env, at);

  const dataDir = resolve(pick(flags.data, '--data', 'SIGMASCOPE_DATA', f.data, 'data', (r, w) => stringValue(r, w), join('.sigmascope', 'agent')));
  const url = pick<string | null>(flags.collector, '--collector', 'SIGMASCOPE_COLLECTOR', collector.url, 'collector.url', (r, w) => urlValue(r, w, ['ws:', 'wss:']), null);
  // The token, from the highest layer that has one: flags, environment, file. Within a layer a
  // token file (--token-file, SIGMASCOPE_TOKEN_FILE, collector.tokenFile; `-` is stdin) wins.
  const tokenCheck = (r: unknown, w: string): string => stringValue(r, w, /^[A-Za-z0-9_.-]{16,256}$/, 'a token as printed by `sigmascope token create`');
  // A file may hold several tokens during a rotation (token-file.ts); it is read again at reconnects.
  let tokenFile: string | null = null;
  const fromFile = (r: unknown, w: string): string[] => {
    const path = stringValue(r, w);
    if (path !== '-') tokenFile = resolve(path);
    return readTokenLines(path, w).map((t) => tokenCheck(t, w));
  };
  const one = (r: unknown, w: string): string[] => [tokenCheck(r, w)];
  const nonEmpty = (v: string | undefined): string | undefined => (v === '' ? undefined : v);
  const tokens: readonly string[] | null =
    flags.tokenFile !== undefined ? fromFile(flags.tokenFile, '--token-file')
    : flags.token !== undefined ? one(flags.token, '--token')
    : nonEmpty(env.SIGMASCOPE_TOKEN_FILE) !== undefined ? fromFile(env.SIGMASCOPE_TOKEN_FILE, 'SIGMASCOPE_TOKEN_FILE')
    : nonEmpty(env.SIGMASCOPE_TOKEN) !== undefined ? one(env.SIGMASCOPE_TOKEN, 'SIGMASCOPE_TOKEN')
    : collector.tokenFile !== undefined ? fromFile(collector.tokenFile, at('collector.tokenFile'))
    : collector.token !== undefined ? one(collector.token, at('collector.token'))
    : null;
  const token = tokens?.[0] ?? null;
  if (url !== null && token === null) throw new ConfigError('--token-file', 'a collector URL needs a token (--token-file FILE, --token-file - for stdin, or SIGMASCOPE_TOKEN); create one with `sigmascope token create NAME` on the collector');

  const intervalMs = pick(undefined, '', 'SIGMASCOPE_INTERVAL_MS', sampler.intervalMs, 'sampler.intervalMs', (r, w) => intValue(r, w, 50, 60_000), 500);
  const deadlineMs = pick(undefined, '', null, sampler.deadlineMs, 'sampler.deadlineMs', (r, w) => intValue(r, w, 10, 60_000), Math.round(intervalMs * 0.4));
  if (deadlineMs >= intervalMs) throw new ConfigError(at('sampler.deadlineMs'), `${deadlineMs} must be below sampler.intervalMs (${intervalMs})`);
  const backoffBaseMs = pick(undefined, '', null, uplink.backoffBaseMs, 'uplink.backoffBaseMs', (r, w) => intValue(r, w, 10, 600_000), 1_000);
  const backoffCapMs = pick(undefined, '', null, uplink.backoffCapMs, 'uplink.backoffCapMs', (r, w) => intValue(r, w, 10, 3_600_000), 30_000);
  if (backoffCapMs < backoffBaseMs) throw new ConfigError(at('uplink.backoffCapMs'), `${backoffCapMs} is below uplink.backoffBaseMs (${backoffBaseMs})`);
  const pingIntervalMs = pick(undefined, '', null, uplink.pingIntervalMs, 'uplink.pingIntervalMs', (r, w) => intValue(r, w, 100, 600_000), 15_000);
  const pingTimeoutMs = pick(undefined, '', null, uplink.pingTimeoutMs, 'uplink.pingTimeoutMs', (r, w) => intValue(r, w, 200, 3_600_000), 2 * pingIntervalMs);
  if (pingTimeoutMs <= pingIntervalMs) throw new ConfigError(at('uplink.pingTimeoutMs'), `${pingTimeoutMs} must exceed uplink.pingIntervalMs (${pingIntervalMs})`);

  const config: AgentConfig = {
    dataDir,
    name: pick<string | null>(flags.name, '--name', 'SIGMASCOPE_NAME', f.name, 'name', (r, w) => stringValue(r, w, /^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . -'), null),
    collector: { url, token, tokens: tokens ?? [], tokenFile, tls: parseUplinkTls(collector, pick, flags, url) },
    status: {
      enabled: pick(undefined, '', null, status.enabled, 'status.enabled', boolValue, true),
      listen: pick(flags.statusListen, '--status-listen', 'SIGMASCOPE_STATUS_LISTEN', status.listen, 'status.listen', (r, w) => stringValue(r, w), '127.0.0.1'),
      port: pick(flags.statusPort, '--status-port', 'SIGMASCOPE_STATUS_PORT', status.port, 'status.port', (r, w) => intValue(r, w, 0, 65_535), 7301),
      // Needed only beyond loopback (status-gate.ts); null: DATA/status-token.
      tokenFile: pick<string | null>(undefined, '', 'SIGMASCOPE_STATUS_TOKEN_FILE', status.tokenFile, 'status.tokenFile', (r, w) => resolve(stringValue(r, w)), null),
    },
    sampler: { intervalMs, deadlineMs },
    buffer: { capBytes: pick(undefined, '', 'SIGMASCOPE_BUFFER_CAP', buffer.capBytes, 'buffer.capBytes', (r, w) => bytesValue(r, w, 64 * 1024, 64 * 1024 ** 3), 256 * 1024 ** 2) },
    uplink: {
      window: pick(undefined, '', null, uplink.window, 'uplink.window', (r, w) => intValue(r, w, 1, 1024), 8),
      backoffBaseMs, backoffCapMs, pingIntervalMs, pingTimeoutMs,
      ackTimeoutMs: pick(undefined, '', null, uplink.ackTimeoutMs, 'uplink.ackTimeoutMs', (r, w) => intValue(r, w, 500, 3_600_000), 30_000),
    },
    telemetry: {
      procRoot: pick(undefined, '', null, telemetry.procRoot, 'telemetry.procRoot', (r, w) => stringValue(r, w), '/proc'),
      gpu: pick(undefined, '', null, telemetry.gpu, 'telemetry.gpu', boolValue, true),
      nvidiaSmi: pick(undefined, '', 'SIGMASCOPE_NVIDIA_SMI', telemetry.nvidiaSmi, 'telemetry.nvidiaSmi', (r, w) => stringValue(r, w), 'nvidia-smi'),
      gpuIntervalMs: pick(undefined, '', null, telemetry.gpuIntervalMs, 'telemetry.gpuIntervalMs', (r, w) => intValue(r, w, 100, 60_000), intervalMs),
      sources: telemetry.sources === undefined ? null : sourceList(telemetry.sources, at('telemetry.sources')),
    },
    probes: parseProbesConfig(f.probes, at('probes')),
    spc: parseSpcConfig(f.spc, at('spc')),
    anomaly: parseAnomalyConfig(f.anomaly, at('anomaly')),
    masterKey: env.SIGMASCOPE_MASTER_KEY !== undefined && env.SIGMASCOPE_MASTER_KEY !== '' ? env.SIGMASCOPE_MASTER_KEY : null,
    log: { level: pick(undefined, '', 'SIGMASCOPE_LOG_LEVEL', log.level, 'log.level', (r, w) => enumValue(r, w, ['debug', 'info', 'warn', 'error'] as const), 'info') },
    clock: clockSettingsFromEnv(env),
  };
  return deepFreeze(config);
}

function sourceList(raw: unknown, where: string): string[] {
  if (!Array.isArray(raw)) throw new ConfigError(where, `must be a list of source names (${SOURCE_NAMES.join(', ')})`);
  for (const name of raw) if (typeof name !== 'string' || !(SOURCE_NAMES as readonly string[]).includes(name)) throw new ConfigError(where, `${JSON.stringify(name)} is not one of ${SOURCE_NAMES.join(', ')}`);
  return raw as string[];
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
