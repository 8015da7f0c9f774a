/**
 * Starts real Sigmascope processes (the built CLI, as a user runs it) for cross-process tests,
 * reads the addresses they print, and stops them. Every process started here is killed when the
 * test file ends, even on failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.ts';

export const CLI = join(REPO_ROOT, 'bin', 'sigmascope.js');
export const FAKE_BIN = join(REPO_ROOT, 'tests', 'support', 'bin');

const running = new Set<ChildProcess>();

export interface Proc {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout + stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'sigmascope-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the CLI to completion (`sigmascope ARGS`). */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...options.env }, input: options.input ?? '', cwd: options.cwd ?? REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `sigmascope ARGS` in the background. `runtime` defaults to this Node. */
export function startCli(args: string[], options: { env?: Record<string, string>; runtime?: string[]; cwd?: string } = {}): Proc {
  const [cmd, ...pre] = options.runtime ?? [process.execPath];
  const child = spawn(cmd as string, [...pre, CLI, ...args], { env: { ...process.env, ...options.env }, cwd: options.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => (running.delete(child), resolve(code ?? signal ?? -1))));
  return { child, output: () => out, exited };
}

/** Waits until `pattern` appears in the process output; returns the first capture group. */
export async function waitForOutput(p: Proc, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(p.output());
    if (m) return m[1] ?? m[0];
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`waiting for ${pattern} (exit ${p.child.exitCode}):\n${p.output().slice(-3000)}`);
    await sleep(50);
  }
}

/** Polls `check` until it returns a non-undefined value. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Stops a process: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(p: Proc, graceMs = 8_000): Promise<number | string> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGTERM');
    const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
    const code = await p.exited;
    clearTimeout(t);
    return code;
  }
  return p.exited;
}

/** SIGKILL, and wait for the exit. */
export async function kill9(p: Proc): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}

/** Kills whatever is still running (afterAll). */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
}

/** GET JSON with an optional bearer token; throws on a non-2xx status. */
export async function getJson<T = unknown>(url: string, token?: string): Promise<T> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
