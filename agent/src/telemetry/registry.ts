/**
 * The built-in telemetry sources by name, and the one place that creates them. Adding a source
 * means adding one entry to FACTORIES; the sampler and the status server take the list as is.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import type { Logger } from '@sigmascope/protocol/log';
import { createAgentSelfSource } from './agent-self-source.ts';
import { createCpuSource } from './cpu-source.ts';
import { createDiskSource } from './disk-source.ts';
import { createGpuSource } from './gpu/gpu-source.ts';
import { createHostSource } from './host-inventory.ts';
import { createMemorySource } from './memory-source.ts';
import { createNetworkSource } from './network-source.ts';
import type { TelemetrySource } from './source.ts';

/** What the factories need; the agent's config supplies it. */
export interface SourcesOptions {
  /** The /proc root (`/proc`). */
  readonly procRoot: string;
  /** `nvidia-smi` looked up on PATH (the default), or a path to it. */
  readonly nvidiaSmiPath?: string;
  /** The nvidia-smi `-lms` period in ms (default 500). */
  readonly gpuIntervalMs?: number;
  /** Which sources to create, by name; default all of SOURCE_NAMES. */
  readonly enabled?: readonly string[];
  /** false leaves the GPU source out whatever `enabled` says (the `telemetry.gpu` switch). */
  readonly gpu?: boolean;
}

type Factory = (options: SourcesOptions, log: Logger) => TelemetrySource;

const FACTORIES = {
  host: () => createHostSource(),
  cpu: (o) => createCpuSource({ procRoot: o.procRoot }),
  memory: (o) => createMemorySource({ procRoot: o.procRoot }),
  network: (o) => createNetworkSource({ procRoot: o.procRoot }),
  disk: (o) => createDiskSource({ procRoot: o.procRoot }),
  gpu: (o, log) => createGpuSource({ nvidiaSmiPath: o.nvidiaSmiPath ?? 'nvidia-smi', intervalMs: o.gpuIntervalMs ?? 500, log }),
  agent: () => createAgentSelfSource(),
} as const satisfies Record<string, Factory>;

/** The names of the built-in sources, in the order they are created and collected. */
export type SourceName = keyof typeof FACTORIES;
export const SOURCE_NAMES = Object.keys(FACTORIES) as readonly SourceName[];

const isSourceName = (n: string): n is SourceName => Object.hasOwn(FACTORIES, n);

/**
 * Creates the enabled sources (cheap: no I/O until each one's start()). An unknown name in
 * `enabled` is a configuration mistake and throws a ConfigError naming it, before anything starts.
 */
export function createSources(options: SourcesOptions, log: Logger): TelemetrySource[] {
  const wanted = options.enabled ?? SOURCE_NAMES;
  const unknown = wanted.filter((n) => !isSourceName(n));
  if (unknown.length > 0) throw new ConfigError('telemetry.sources', `unknown source ${JSON.stringify(unknown[0])} (known: ${SOURCE_NAMES.join(', ')})`);
  return SOURCE_NAMES.filter((n) => wanted.includes(n) && !(n === 'gpu' && options.gpu === false)).map((n) => FACTORIES[n](options, log.child({ source: n })));
}
