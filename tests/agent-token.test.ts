/**
 * The agent's token never on its command line: read from a 0600 file (`--token-file`) or stdin
 * (`--token-file -`), the running agent's /proc/PID/cmdline holds no token and the collector
 * stores its samples. `--token T` still works, warns why, and leaves no token in cmdline either.
 */
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startCollector, storedFor } from './support/fleet.ts';
import type { CollectorHandle } from './support/fleet.ts';
import { CLI, killAll, runCli, startCli, stop, tempDir, waitFor, waitForOutput } from './support/processes.ts';
import type { Proc } from './support/processes.ts';

let collector: CollectorHandle;
afterAll(() => killAll());

const cmdline = (p: Proc): string => readFileSync(`/proc/${p.child.pid}/cmdline`, 'utf8').replace(/\0/g, ' ');

async function runningAgent(name: string, args: string[]): Promise<Proc> {
  const p = startCli(['agent', '--collector', `ws://127.0.0.1:${collector.port}/ingest`, '--status-port', '0', '--name', name, '--data', tempDir(), ...args], { env: { SIGMASCOPE_LOG_LEVEL: 'warn', SIGMASCOPE_TOKEN: '' } });
  await waitForOutput(p, /status page on/);
  return p;
}

describe('agent token', () => {
  it('from a 0600 file: stored samples, no token in /proc/PID/cmdline', async () => {
    collector = await startCollector();
    const token = createAgentToken(collector, 'file-agent');
    const file = join(tempDir(), 'token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const p = await runningAgent('file-agent', ['--token-file', file]);
    await waitFor('samples stored from the file-token agent', async () => ((await storedFor(collector, 'file-agent')) > 0 ? true : undefined), 20_000);
    expect(cmdline(p)).toContain('--token-file');
    expect(cmdline(p)).not.toContain(token);
    expect(p.output()).not.toContain(token);
    expect(await stop(p)).toBe(0);
  }, 60_000);

  it('from stdin', async () => {
    const token = createAgentToken(collector, 'stdin-agent');
    const child = spawn(process.execPath, [CLI, 'agent', '--collector', `ws://127.0.0.1:${collector.port}/ingest`, '--token-file', '-', '--status-port', '0', '--name', 'stdin-agent', '--data', tempDir()], { env: { ...process.env, SIGMASCOPE_LOG_LEVEL: 'warn', SIGMASCOPE_TOKEN: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(`${token}\n`);
    try {
      await waitFor('samples stored from the stdin-token agent', async () => ((await storedFor(collector, 'stdin-agent')) > 0 ? true : undefined), 20_000);
      expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain(token);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('--token still works, warns why, and the token leaves the command line', async () => {
    const token = createAgentToken(collector, 'argv-agent');
    const p = await runningAgent('argv-agent', ['--token', token]);
    expect(p.output()).toContain('warning: --token shows the token to every user of this host');
    await waitFor('samples stored from the argv-token agent', async () => ((await storedFor(collector, 'argv-agent')) > 0 ? true : undefined), 20_000);
    expect(cmdline(p)).not.toContain(token);
    await stop(p);
  }, 60_000);

  it('refuses a token file others can read, and an empty one, naming the file', () => {
    const file = join(tempDir(), 'token');
    writeFileSync(file, 'sgs_a_0123456789abcdefghijklmnop\n');
    chmodSync(file, 0o644);
    const loose = runCli(['agent', '--collector', 'ws://127.0.0.1:1/ingest', '--token-file', file, '--data', tempDir()]);
    expect(loose.status).toBe(2);
    expect(loose.stderr).toContain(`--token-file: ${file} is readable by others (mode 644): chmod 600 ${file}`);
    writeFileSync(file, '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    const empty = runCli(['agent', '--collector', 'ws://127.0.0.1:1/ingest', '--token-file', file, '--data', tempDir()]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain(`${file} holds no token`);
  });
});
