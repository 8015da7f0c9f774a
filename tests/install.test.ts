/**
 * The edge install, as an image build runs it: install/install.sh into a scratch root with
 * --no-start, twice (the second run changes nothing), then the INSTALLED agent, started from the
 * prefix with the environment file's values, streams to a real collector, which stores every
 * sample it produced exactly once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startCollector } from './support/fleet.ts';
import type { AgentStatusJson, CollectorHandle } from './support/fleet.ts';
import { makeTestCa } from './support/test-ca.ts';
import { REPO_ROOT } from './support/fixtures.ts';
import { expectConservation } from './support/oracle.ts';
import { getJson, killAll, sleep, stop, tempDir, waitFor, waitForOutput } from './support/processes.ts';
import type { Proc } from './support/processes.ts';

const INSTALL = join(REPO_ROOT, 'install', 'install.sh');
const AGENT_NAME = 'edge-01';
const started: Proc[] = [];

afterAll(() => {
  for (const p of started) p.child.kill('SIGKILL');
  killAll();
});

function install(root: string, args: string[]): { status: number; output: string } {
  // Only the options speak: no SIGMASCOPE_TOKEN from the calling shell.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIGMASCOPE_')));
  const r = spawnSync('bash', [INSTALL, '--root', root, '--no-start', '--node', process.execPath, ...args], { encoding: 'utf8', timeout: 300_000, env });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Every file and directory under `dir`: mode, size, mtime and content hash. Equal snapshots = nothing was touched. */
function snapshot(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const s = statSync(p);
    const hash = e.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : '';
    out.set(p, `${(s.mode & 0o7777).toString(8)} ${s.size} ${s.mtimeMs} ${hash}`);
    if (e.isDirectory()) snapshot(p, out);
  }
  return out;
}

/** Names of every directory under `dir` (node_modules included). */
function directoryNames(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    out.push(e.name);
    directoryNames(join(dir, e.name), out);
  }
  return out;
}

/** KEY=value lines of a systemd environment file. */
function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1] as string] = m[2] as string;
  }
  return env;
}

/** Starts the installed CLI (`node ROOT/PREFIX/bin/sigmascope.js ARGS`), not the checkout's. */
function startInstalled(root: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [join(root, 'opt', 'sigmascope', 'bin', 'sigmascope.js'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const proc: Proc = { child, output: () => out, exited };
  started.push(proc);
  return proc;
}

describe('install/install.sh into a scratch root', () => {
  let collector: CollectorHandle;
  let token: string;
  let root: string;
  let collectorUrl: string;

  it('installs the agent only, with the unit and a 0600 environment file, and a second run changes nothing', async () => {
    collector = await startCollector();
    token = createAgentToken(collector, AGENT_NAME);
    collectorUrl = `ws://127.0.0.1:${collector.port}/ingest`;
    root = tempDir('sigmascope-root-');

    // The token never on the command line: install.sh refuses --token and reads --token-file.
    const refused = install(root, ['--collector', collectorUrl, '--token', token]);
    expect(refused.status).toBe(2);
    expect(refused.output).toContain('--token would show the token to every user of this host (ps)');
    const tokenFile = join(tempDir('sigmascope-token-'), 'token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const first = install(root, ['--collector', collectorUrl, '--token-file', tokenFile]);
    expect(first.status, first.output).toBe(0);

    const prefix = join(root, 'opt', 'sigmascope');
    const unit = readFileSync(join(root, 'etc', 'systemd', 'system', 'sigmascope-agent.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} /opt/sigmascope/bin/sigmascope.js agent`);
    for (const line of ['User=sigmascope', 'EnvironmentFile=/etc/sigmascope/agent.env', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/sigmascope/agent', 'PrivateTmp=yes', 'Restart=on-failure', 'KillSignal=SIGTERM', 'TimeoutStopSec=10']) {
      expect(unit.split('\n'), line).toContain(line);
    }

    const envPath = join(root, 'etc', 'sigmascope', 'agent.env');
    expect(statSync(envPath).mode & 0o777).toBe(0o600);
    const env = readEnvFile(envPath);
    expect(env).toMatchObject({ SIGMASCOPE_COLLECTOR: collectorUrl, SIGMASCOPE_TOKEN: token, SIGMASCOPE_DATA: '/var/lib/sigmascope/agent' });
    expect(statSync(join(root, 'var', 'lib', 'sigmascope', 'agent')).mode & 0o777).toBe(0o700);

    // The agent's own dependencies are there; none of the collector's.
    const pkg = JSON.parse(readFileSync(join(prefix, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['lmdb', 'msgpackr', 'ws', 'hono']));
    const dirs = directoryNames(prefix);
    expect(dirs).toContain('lmdb');
    expect(dirs.filter((d) => d === 'better-sqlite3' || d === 'sqlite-vec' || d.startsWith('sqlite-vec-'))).toEqual([]);

    // Again, without the token: it is kept, and not one file is touched.
    const before = snapshot(root);
    const second = install(root, ['--collector', collectorUrl]);
    expect(second.status, second.output).toBe(0);
    expect(second.output).toContain('already up to date');
    expect(snapshot(root)).toEqual(before);
    expect(readEnvFile(envPath)).toEqual(env);

    // A token is never sent in clear to another host: refused before anything is touched, unless --insecure.
    const clear = install(root, ['--collector', 'ws://192.0.2.10:7300/ingest']);
    expect(clear.status).toBe(2);
    expect(clear.output).toContain("--collector ws://192.0.2.10:7300/ingest would send the agent's token in clear to 192.0.2.10: use wss://");
    expect(snapshot(root)).toEqual(before);
    const notPem = install(root, ['--ca-file', tokenFile]);
    expect(notPem.status).toBe(2);
    expect(notPem.output).toContain('holds no PEM certificate');
    // A private CA for the collector's certificate: copied beside the environment file, named in it, kept by later runs.
    const ca = makeTestCa();
    const withCa = install(root, ['--ca-file', ca.cert]);
    expect(withCa.status, withCa.output).toBe(0);
    expect(readFileSync(join(root, 'etc', 'sigmascope', 'ca.pem'), 'utf8')).toBe(readFileSync(ca.cert, 'utf8'));
    expect(readEnvFile(envPath)).toEqual({ ...env, SIGMASCOPE_CA_FILE: '/etc/sigmascope/ca.pem' });
    expect(install(root, []).output).toContain('already up to date');
    expect(readEnvFile(envPath).SIGMASCOPE_CA_FILE).toBe('/etc/sigmascope/ca.pem');
  }, 300_000);

  it('runs the installed agent, and the collector stores every sample it produced', async () => {
    expect(root, 'the install step ran').toBeDefined();
    const env = readEnvFile(join(root, 'etc', 'sigmascope', 'agent.env'));
    // The unit's paths are the target system's: under the scratch root here.
    const dataDir = join(root, env.SIGMASCOPE_DATA as string);
    const agent = startInstalled(root, ['agent', '--status-port', '0', '--name', AGENT_NAME], {
      SIGMASCOPE_COLLECTOR: env.SIGMASCOPE_COLLECTOR as string, SIGMASCOPE_TOKEN: env.SIGMASCOPE_TOKEN as string, SIGMASCOPE_DATA: dataDir, SIGMASCOPE_LOG_LEVEL: 'warn',
    });
    const statusPort = Number(await waitForOutput(agent, /status page on http:\/\/127\.0\.0\.1:(\d+)/));
    // What `ps` shows of the running agent: no token.
    expect(readFileSync(`/proc/${agent.child.pid}/cmdline`, 'utf8')).not.toContain(env.SIGMASCOPE_TOKEN as string);
    const status = (): Promise<AgentStatusJson> => getJson<AgentStatusJson>(`http://127.0.0.1:${statusPort}/api/status`);
    await waitFor('the collector to acknowledge samples', async () => ((await status()).samples.acked > 0 ? true : undefined), 20_000);
    const cpu = await waitFor('system.cpu.utilization from the installed agent', async () => {
      const r = await getJson<{ series: { points: unknown[] }[] }>(collector.url(`/api/v1/series?name=system.cpu.utilization&agent=${AGENT_NAME}`), collector.viewerToken);
      return r.series.some((s) => s.points.length > 0) ? r : undefined;
    }, 15_000);
    expect(cpu.series.length).toBeGreaterThan(0);
    await sleep(2_000);
    expect(await stop(agent)).toBe(0);
    const figures = await expectConservation(collector, AGENT_NAME, token, dataDir);
    expect(figures.dropped).toBe(0);
    await stop(collector.proc);
  }, 120_000);
});

/** A PATH with the tools install.sh uses and no npm: what a bare GPU host with Node.js has. */
function pathWithoutNpm(): string {
  const bin = tempDir('sigmascope-bare-path-');
  for (const tool of ['bash', 'sh', 'env', 'cat', 'chmod', 'chown', 'mv', 'rm', 'cp', 'mkdir', 'mktemp', 'dirname', 'basename', 'stat', 'cmp', 'diff', 'find', 'sed', 'grep', 'tail', 'head', 'id', 'tr', 'getent', 'readlink']) {
    const r = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    const at = r.stdout.trim();
    if (at) symlinkSync(at, join(bin, tool));
  }
  return bin;
}

/** Files and bytes under a directory. */
function footprint(dir: string, acc = { files: 0, bytes: 0 }): { files: number; bytes: number } {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) footprint(p, acc);
    else if (e.isFile()) { acc.files++; acc.bytes += statSync(p).size; }
  }
  return acc;
}

describe('the agent bundle on a host without npm', () => {
  it('installs from the tarball alone (no npm, no build), holds none of the collector\'s or the build\'s packages, and its agent streams', async () => {
    const out = tempDir('sigmascope-bundle-');
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'install', 'agent-bundle.mjs'), '--out', out], { encoding: 'utf8', timeout: 240_000 });
    expect(built.status, built.stderr).toBe(0);
    const info = JSON.parse(built.stdout.trim().split('\n').pop() as string) as { tarball: string; tarballBytes: number };
    const host = tempDir('sigmascope-host-');
    expect(spawnSync('tar', ['-xzf', info.tarball, '-C', host]).status).toBe(0);
    const [unpacked] = readdirSync(host);
    const bundleDir = join(host, unpacked as string);

    const c = await startCollector();
    const token = createAgentToken(c, 'bundle-01');
    const tokenFile = join(tempDir('sigmascope-token-'), 'token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const root = tempDir('sigmascope-root-');
    const env = { PATH: pathWithoutNpm(), HOME: tempDir(), TMPDIR: tmpdir() };
    const t0 = performance.now();
    const r = spawnSync('bash', [join(bundleDir, 'install', 'install.sh'), '--root', root, '--no-start', '--node', process.execPath, '--collector', `ws://127.0.0.1:${c.port}/ingest`, '--token-file', tokenFile], { encoding: 'utf8', timeout: 120_000, env });
    const installMs = performance.now() - t0;
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain('installing the agent\'s dependencies with npm');

    const prefix = join(root, 'opt', 'sigmascope');
    // Installed packages (hono's own adapter/bun folder is code, not the bun package).
    const packages = readdirSync(join(prefix, 'node_modules')).flatMap((n) => (n.startsWith('@') ? readdirSync(join(prefix, 'node_modules', n)).map((m) => `${n}/${m}`) : [n]));
    for (const forbidden of ['better-sqlite3', 'sqlite-vec', 'bun', 'bun-types', 'esbuild', 'typescript', 'vitest', 'playwright-core', 'fast-check', 'tsx']) expect(packages, forbidden).not.toContain(forbidden);
    expect(packages).toContain('lmdb');
    const landed = footprint(prefix);
    console.log(`agent bundle: tarball ${(info.tarballBytes / 1048576).toFixed(1)} MiB; on the host ${landed.files} files, ${(landed.bytes / 1048576).toFixed(1)} MiB under the prefix; install.sh took ${Math.round(installMs)} ms (no npm, no network)`);

    // The installed agent, token from the environment file as systemd would pass it.
    const envFile = readEnvFile(join(root, 'etc', 'sigmascope', 'agent.env'));
    expect(statSync(join(root, 'etc', 'sigmascope', 'agent.env')).mode & 0o777).toBe(0o600);
    const dataDir = join(root, envFile.SIGMASCOPE_DATA as string);
    const agent = startInstalled(root, ['agent', '--status-port', '0', '--name', 'bundle-01'], { SIGMASCOPE_COLLECTOR: envFile.SIGMASCOPE_COLLECTOR as string, SIGMASCOPE_TOKEN: envFile.SIGMASCOPE_TOKEN as string, SIGMASCOPE_DATA: dataDir, SIGMASCOPE_LOG_LEVEL: 'warn' });
    await waitForOutput(agent, /status page on http:\/\/127\.0\.0\.1:(\d+)/);
    expect(readFileSync(`/proc/${agent.child.pid}/cmdline`, 'utf8')).not.toContain(token);
    await waitFor('samples from the bundle-installed agent', async () => {
      const res = await getJson<{ series: { points: unknown[] }[] }>(c.url('/api/v1/series?name=system.cpu.utilization&agent=bundle-01'), c.viewerToken);
      return res.series.some((s) => s.points.length > 0) ? true : undefined;
    }, 20_000);
    expect(await stop(agent)).toBe(0);
    const figures = await expectConservation(c, 'bundle-01', token, dataDir);
    expect(figures.dropped).toBe(0);
    await stop(c.proc);
  }, 300_000);
});
