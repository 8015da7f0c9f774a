/**
 * Real time-series engines for the scale-out tests: Debian's `prometheus` (remote-write receiver
 * on, scraping what the test names) and `victoria-metrics`, each on a free loopback port with a
 * temporary data dir, started and stopped (SIGTERM, or SIGKILL as a crash) by the test. Queries
 * go through their Prometheus HTTP API, as the collector's query backend's do.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep, tempDir, waitFor } from './processes.ts';

const running = new Set<ChildProcess>();

/** Whether a binary is on PATH (the tests skip, naming it, when .ci/run has not installed it). */
export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** A port that was free a moment ago (the engines take no port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Engine {
  readonly name: 'prometheus' | 'victoria-metrics';
  readonly port: number;
  readonly dataDir: string;
  /** Base URL of its HTTP API. */
  readonly url: string;
  /** The remote-write URL. */
  readonly writeUrl: string;
  output(): string;
  /** SIGTERM (or SIGKILL with `crash`) and wait for the exit. */
  stop(crash?: boolean): Promise<void>;
  /** Starts it again on the same port and data dir. */
  restart(): Promise<void>;
}

interface EngineSpec {
  readonly name: Engine['name'];
  readonly args: (port: number, dataDir: string) => string[];
  readonly writePath: string;
}

async function startEngine(spec: EngineSpec, dataDir: string): Promise<Engine> {
  const port = await freePort();
  let child: ChildProcess;
  let out = '';
  const launch = async (): Promise<void> => {
    child = spawn(spec.name, spec.args(port, dataDir), { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    child.on('exit', () => running.delete(child));
    const readyPath = spec.name === 'prometheus' ? '/-/ready' : '/health';
    await waitFor(`${spec.name} ready on ${port}`, async () => {
      if (child.exitCode !== null) throw new Error(`${spec.name} exited: ${out.slice(-2000)}`);
      const r = await fetch(`http://127.0.0.1:${port}${readyPath}`);
      return r.ok ? true : undefined;
    }, 60_000, 200);
  };
  await launch();
  const url = `http://127.0.0.1:${port}`;
  return {
    name: spec.name,
    port,
    dataDir,
    url,
    writeUrl: `${url}${spec.writePath}`,
    output: () => out,
    async stop(crash = false) {
      const c = child;
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill(crash ? 'SIGKILL' : 'SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
    restart: launch,
  };
}

/** Prometheus with its remote-write receiver, scraping `targets` (host:port) every second. */
export async function startPrometheus(targets: readonly string[] = []): Promise<Engine> {
  const dataDir = tempDir('sigmascope-prometheus-');
  const config = join(dataDir, 'prometheus.yml');
  const jobs = targets.length === 0 ? '' : `scrape_configs:\n  - job_name: sigmascope\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n`;
  writeFileSync(config, `global:\n  scrape_interval: 1s\n${jobs}`);
  return startEngine({
    name: 'prometheus',
    writePath: '/api/v1/write',
    args: (port, dir) => [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--log.level=warn'],
  }, dataDir);
}

/**
 * VictoriaMetrics, single node. `-dedup.minScrapeInterval=1ms` keeps one copy of a sample sent
 * twice (same series, same ms), which makes it an idempotent sink as docs/scale-out.md advises;
 * `-search.latencyOffset=0s` makes samples queryable at once.
 */
export async function startVictoriaMetrics(): Promise<Engine> {
  return startEngine({
    name: 'victoria-metrics',
    writePath: '/api/v1/write',
    args: (port, dir) => [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dir, 'data')}`, '-retentionPeriod=100y', '-dedup.minScrapeInterval=1ms', '-search.latencyOffset=0s', '-search.disableCache', '-loggerLevel=ERROR'],
  }, tempDir('sigmascope-vm-'));
}

interface PromResponse<T> {
  status: string;
  data: { resultType: string; result: T };
  error?: string;
}

/** An instant query; throws on an error answer. */
export async function promQuery<T = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[]>(engine: { url: string }, query: string, time?: number): Promise<T> {
  const params = new URLSearchParams({ query });
  if (time !== undefined) params.set('time', (time / 1000).toFixed(3));
  const r = await fetch(`${engine.url}/api/v1/query?${params}`);
  const body = (await r.json()) as PromResponse<T>;
  if (body.status !== 'success') throw new Error(`${query}: ${body.error ?? r.status}`);
  return body.data.result;
}

/** The raw samples of every series matching `selector` in [from, to] (ms), by series. */
export async function rawSamples(engine: { url: string }, selector: string, from: number, to: number): Promise<{ metric: Record<string, string>; ts: number[]; values: number[] }[]> {
  const rows = await promQuery(engine, `${selector}[${to - from + 1}ms]`, to);
  return rows.map((r) => ({ metric: r.metric, ts: (r.values ?? []).map(([t]) => Math.round(t * 1000)), values: (r.values ?? []).map(([, v]) => Number(v)) }));
}

/** A collector config file with `text`, in a fresh temporary directory. */
export function collectorConfig(text: string): string {
  const path = join(tempDir('sigmascope-config-'), 'collector.yaml');
  writeFileSync(path, text);
  return path;
}

/** Kills what is still running (afterAll). */
export function killEngines(): void {
  for (const c of running) c.kill('SIGKILL');
}

export { sleep };
