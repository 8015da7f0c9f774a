/**
 * The agent's configuration: defaults, then the config file, then the environment, then flags;
 * validated once, frozen, passed in. A bad value fails at start with the value in the message.
 * The only agent module that reads process.env (through the `env` argument).
 */
import { join, resolve } from 'node:path';
import { bytesValue, enumValue, intValue, section, stringValue, urlValue, boolValue, layeredPicker } from '@sigmascope/protocol/config-fields';
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
  readonly collector: { readonly url: string | null; readonly token: string | null };
  readonly status: { readonly enabled: boolean; readonly listen: string; readonly port: number };
  readonly sampler: { readonly intervalMs: number; readonly deadlineMs: number };
  readonly buffer: { readonly capBytes: number };
  readonly uplink: {
    readonly window: number;
    readonly backoffBaseMs: number;
    readonly backoffCapMs: number;
    readonly pingIntervalMs: number;
    readonly pingTimeoutMs: number;
  };
  readonly telemetry: { readonly procRoot: string; readonly gpu: boolean; readonly nvidiaSmi: string; readonly gpuIntervalMs: number; readonly sources: readonly string[] | null };
  readonly probes: ProbesConfig;
  readonly spc: SpcConfig;
  readonly anomaly: AnomalyConfig;
  /** Master key for the provider key store (SIGMASCOPE_MASTER_KEY); null: the 0600 key file in the data dir. */
  readonly masterKey: string | null;
  readonly log: { readonly level: LogLevel };
}

/** Flags of `sigmascope agent` that override the file and the environment. */
export interface AgentFlags {
  readonly collector?: string;
  readonly token?: string;
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
  const collector = section(f.collector, at('collector'), ['url', 'token']);
  const status = section(f.status, at('status'), ['enabled', 'listen', 'port']);
  const sampler = section(f.sampler, at('sampler'), ['intervalMs', 'deadlineMs']);
  const buffer = section(f.buffer, at('buffer'), ['capBytes']);
  const uplink = section(f.uplink, at('uplink'), ['window', 'backoffBaseMs', 'backoffCapMs', 'pingIntervalMs', 'pingTimeoutMs']);
  const telemetry = section(f.telemetry, at('telemetry'), ['procRoot', 'gpu', 'nvidiaSmi', 'gpuIntervalMs', 'sources']);
  const log = section(f.log, at('log'), ['level']);

  // Each value: flag, else environment, else file, else default, checked with the name of its source.
  const pick = layeredPicker(env, at);

  const dataDir = resolve(pick(flags.data, '--data', 'SIGMASCOPE_DATA', f.data, 'data', (r, w) => stringValue(r, w), join('.sigmascope', 'agent')));
  const url = pick<string | null>(flags.collector, '--collector', 'SIGMASCOPE_COLLECTOR', collector.url, 'collector.url', (r, w) => urlValue(r, w, ['ws:', 'wss:']), null);
  const token = pick<string | null>(flags.token, '--token', 'SIGMASCOPE_TOKEN', collector.token, 'collector.token', (r, w) => stringValue(r, w, /^[A-Za-z0-9_.-]{16,256}$/, 'a token as printed by `sigmascope token create`'), null);
  if (url !== null && token === null) throw new ConfigError('--token', 'a collector URL needs a token (--token or SIGMASCOPE_TOKEN); create one with `sigmascope token create NAME` on the collector');

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
    collector: { url, token },
    status: {
      enabled: pick(undefined, '', null, status.enabled, 'status.enabled', boolValue, true),
      listen: pick(flags.statusListen, '--status-listen', 'SIGMASCOPE_STATUS_LISTEN', status.listen, 'status.listen', (r, w) => stringValue(r, w), '127.0.0.1'),
      port: pick(flags.statusPort, '--status-port', 'SIGMASCOPE_STATUS_PORT', status.port, 'status.port', (r, w) => intValue(r, w, 0, 65_535), 7301),
    },
    sampler: { intervalMs, deadlineMs },
    buffer: { capBytes: pick(undefined, '', 'SIGMASCOPE_BUFFER_CAP', buffer.capBytes, 'buffer.capBytes', (r, w) => bytesValue(r, w, 64 * 1024, 64 * 1024 ** 3), 256 * 1024 ** 2) },
    uplink: {
      window: pick(undefined, '', null, uplink.window, 'uplink.window', (r, w) => intValue(r, w, 1, 1024), 8),
      backoffBaseMs, backoffCapMs, pingIntervalMs, pingTimeoutMs,
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
