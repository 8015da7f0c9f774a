/**
 * The collector install, as an image build runs it: install/install-collector.sh into a scratch
 * root with --no-start, twice (the second run changes nothing), then the INSTALLED collector,
 * started from the prefix with the installed config file and data dir, answers the bootstrap
 * admin token as admin and runs the configured remote-write stream. Bad options change nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/fixtures.ts';
import { getJson, stop, tempDir, waitForOutput } from './support/processes.ts';
import type { Proc } from './support/processes.ts';

const INSTALL = join(REPO_ROOT, 'install', 'install-collector.sh');
const started: Proc[] = [];
afterAll(() => {
  for (const p of started) p.child.kill('SIGKILL');
});

function install(args: string[]): { status: number; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIGMASCOPE_')));
  const r = spawnSync('bash', [INSTALL, '--no-start', '--node', process.execPath, ...args], { encoding: 'utf8', timeout: 300_000, env });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

function snapshot(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const s = statSync(p);
    out.set(p, `${(s.mode & 0o7777).toString(8)} ${s.size} ${s.mtimeMs} ${e.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : ''}`);
    if (e.isDirectory()) snapshot(p, out);
  }
  return out;
}

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

describe('install/install-collector.sh into a scratch root', () => {
  it('refuses bad options before writing anything', () => {
    const root = tempDir('sigmascope-root-');
    const bad = join(tempDir('sigmascope-config-'), 'collector.yaml');
    writeFileSync(bad, 'remoteWrite:\n  - url: ftp://tsdb/write\n');
    for (const [args, message] of [
      [['--root', root, '--data', 'relative/dir'], /--data must be an absolute path/],
      [['--root', root, '--bogus'], /unknown option: --bogus/],
      [['--root', root, '--config', '/nonexistent.yaml'], /--config is not a file/],
      [['--root', root, '--config', bad], /remoteWrite\[0\]\.url: "ftp:\/\/tsdb\/write" must start with http/],
    ] as const) {
      const r = install([...args]);
      expect(r.status, r.output).toBe(2);
      expect(r.output).toMatch(message);
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('installs code, config, unit, data dir and an admin token; a second run changes nothing; the installed collector runs', async () => {
    const root = tempDir('sigmascope-root-');
    const config = join(tempDir('sigmascope-config-'), 'collector.yaml');
    writeFileSync(config, 'listen: 127.0.0.1\nport: 0\nremoteWrite:\n  - url: http://127.0.0.1:9/api/v1/write\n    headers: {Authorization: "Bearer rw-secret-value"}\n');
    const first = install(['--root', root, '--config', config]);
    expect(first.status, first.output).toBe(0);
    expect(first.output).toMatch(/created an admin token in \/etc\/sigmascope\/admin\.token \(mode 0600\)/);
    const token = readFileSync(join(root, 'etc/sigmascope/admin.token'), 'utf8').trim();
    expect(first.output, 'the token is never printed').not.toContain(token);
    expect(mode(join(root, 'etc/sigmascope/admin.token'))).toBe('600');
    expect(mode(join(root, 'etc/sigmascope/collector.yaml'))).toBe('640');
    expect(mode(join(root, 'var/lib/sigmascope/collector'))).toBe('700');
    const unit = readFileSync(join(root, 'etc/systemd/system/sigmascope-collector.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} /opt/sigmascope/bin/sigmascope.js collector --config /etc/sigmascope/collector.yaml`);
    expect(unit).toContain('ReadWritePaths=/var/lib/sigmascope/collector');
    expect(existsSync(join(root, 'opt/sigmascope/node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(root, 'opt/sigmascope/node_modules/vitest')), 'no dev dependencies').toBe(false);

    const before = snapshot(root);
    const second = install(['--root', root, '--config', config]);
    expect(second.status, second.output).toBe(0);
    expect(second.output).toMatch(/already up to date/);
    expect(snapshot(root)).toEqual(before);

    const child = spawn(process.execPath, [join(root, 'opt/sigmascope/bin/sigmascope.js'), 'collector', '--config', join(root, 'etc/sigmascope/collector.yaml'), '--data', join(root, 'var/lib/sigmascope/collector')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const proc: Proc = { child, output: () => out, exited: new Promise((r) => child.on('exit', (c, s) => r(c ?? s ?? -1))) };
    started.push(proc);
    const port = Number(await waitForOutput(proc, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
    const session = await getJson<{ name: string; role: string }>(`http://127.0.0.1:${port}/api/v1/session`, token);
    expect(session).toEqual({ name: 'admin', role: 'admin' });
    const stats = await getJson<{ export: { protocol: string; target: string }[] }>(`http://127.0.0.1:${port}/api/v1/stats`, token);
    expect(stats.export.map((e) => `${e.protocol} ${e.target}`)).toEqual(['remote_write http://127.0.0.1:9/api/v1/write']);
    await stop(proc);
    expect(out, 'the remote-write credential is never logged').not.toContain('rw-secret-value');
  }, 400_000);
});
