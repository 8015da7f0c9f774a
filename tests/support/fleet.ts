/**
 * A collector and agents as separate processes on loopback, with the accounting every delivery
 * test ends with (RELIABILITY.md's oracle):
 *
 *   produced = stored + dropped (counted by reason) + buffered, and zero duplicate rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_BIN, getJson, runCli, startCli, stop, tempDir, waitFor, waitForOutput } from './processes.ts';
import type { Proc } from './processes.ts';

export interface CollectorHandle {
  proc: Proc;
  port: number;
  dataDir: string;
  viewerToken: string;
  url(path: string): string;
}

/**
 * Starts a collector on a free loopback port. A first start of a data dir creates a viewer token
 * for the test's API calls; a restart passes the previous handle's token.
 */
export async function startCollector(opts: { dataDir?: string; port?: number; viewerToken?: string; env?: Record<string, string>; configFile?: string; config?: Record<string, unknown>; extraArgs?: string[] } = {}): Promise<CollectorHandle> {
  const dataDir = opts.dataDir ?? tempDir('sigmascope-collector-');
  let viewerToken = opts.viewerToken;
  if (viewerToken === undefined) {
    const viewer = runCli(['token', 'create', 'test-viewer', '--role', 'viewer', '--data', dataDir]);
    if (viewer.status !== 0) throw new Error(`token create failed: ${viewer.stderr}`);
    viewerToken = viewer.stdout.trim();
  }
  const configArgs: string[] = [];
  if (opts.configFile !== undefined) configArgs.push('--config', opts.configFile);
  if (opts.config !== undefined) {
    const file = join(dataDir, 'collector.json');
    writeFileSync(file, JSON.stringify(opts.config));
    configArgs.push('--config', file);
  }
  const proc = startCli(['collector', '--listen', '127.0.0.1', '--port', String(opts.port ?? 0), '--data', dataDir, ...configArgs, ...(opts.extraArgs ?? [])], { env: { SIGMASCOPE_LOG_LEVEL: 'warn', ...opts.env } });
  const bound = Number(await waitForOutput(proc, /listening on https?:\/\/127\.0\.0\.1:(\d+)/));
  return { proc, port: bound, dataDir, viewerToken, url: (p) => `http://127.0.0.1:${bound}${p}` };
}

export function createAgentToken(c: { dataDir: string }, name: string): string {
  const r = runCli(['token', 'create', name, '--data', c.dataDir]);
  if (r.status !== 0) throw new Error(`token create ${name}: ${r.stderr}`);
  return r.stdout.trim();
}

export interface AgentHandle {
  proc: Proc;
  statusPort: number;
  dataDir: string;
  status(): Promise<AgentStatusJson>;
}

export interface AgentStatusJson {
  bootId: string;
  collector: { state: string; lastError: string | null; connectedSince: number | null };
  samples: { produced: number; acked: number; dropped: Record<string, number>; buffered: number };
  buffer: { frames: number; bytes: number; diskBytes: number; capBytes: number; oldestSeq: number | null; newestSeq: number | null; droppedSamples: number; quarantinedFrames: number };
  sampler: { intervalMs: number; ticks: number; lateTicks: number; lastTickAt: number | null };
  sources: { name: string; state: string; detail?: string }[];
}

export async function startAgent(opts: { collectorPort: number | null; token?: string; dataDir?: string; name?: string; gpus?: number; env?: Record<string, string>; runtime?: string[]; extraArgs?: string[] }): Promise<AgentHandle> {
  const dataDir = opts.dataDir ?? tempDir('sigmascope-agent-');
  const args = ['agent', '--data', dataDir, '--status-port', '0', '--name', opts.name ?? 'test-agent', ...(opts.extraArgs ?? [])];
  if (opts.collectorPort !== null) args.push('--collector', `ws://127.0.0.1:${opts.collectorPort}/ingest`);
  const env: Record<string, string> = { SIGMASCOPE_LOG_LEVEL: 'warn', ...opts.env };
  if (opts.token) env.SIGMASCOPE_TOKEN = opts.token;
  if (opts.gpus !== undefined) {
    env.PATH = `${FAKE_BIN}:${process.env.PATH ?? ''}`;
    env.SIGMASCOPE_FAKE_GPUS = String(opts.gpus);
  }
  const proc = startCli(args, { env, ...(opts.runtime ? { runtime: opts.runtime } : {}) });
  const statusPort = Number(await waitForOutput(proc, /status page on http:\/\/[^\s/]+:(\d+)/));
  return { proc, statusPort, dataDir, status: () => getJson<AgentStatusJson>(`http://127.0.0.1:${statusPort}/api/status`) };
}

interface AgentsJson {
  agents: { id: string; samples: number; lastSeq: number; connected: boolean; quarantinedSamples: number; refusedSamples: number; series: number }[];
}

/** Samples the collector has stored for `agentId`. */
export async function storedFor(c: CollectorHandle, agentId: string): Promise<number> {
  const { agents } = await getJson<AgentsJson>(c.url('/api/v1/agents'), c.viewerToken);
  return agents.find((a) => a.id === agentId)?.samples ?? 0;
}

/** Samples the collector acknowledged for `agentId` but quarantined (stamped too far in the future). */
export async function quarantinedFor(c: CollectorHandle, agentId: string): Promise<number> {
  const { agents } = await getJson<AgentsJson>(c.url('/api/v1/agents'), c.viewerToken);
  return agents.find((a) => a.id === agentId)?.quarantinedSamples ?? 0;
}

/** Samples the collector acknowledged for `agentId` but refused: their series were new beyond the series caps. */
export async function refusedFor(c: CollectorHandle, agentId: string): Promise<number> {
  const { agents } = await getJson<AgentsJson>(c.url('/api/v1/agents'), c.viewerToken);
  return agents.find((a) => a.id === agentId)?.refusedSamples ?? 0;
}
