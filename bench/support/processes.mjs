// What every bench needs to run the real product: start the CLI or any command, wait for what it
// prints, stop it, read a process's CPU from /proc, and summarise runs.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'bin', 'sigmascope.js');
/** USER_HZ: the unit of utime and stime in /proc/PID/stat. */
export const TICKS_PER_SECOND = 100;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The median of the finite numbers in `xs`, or null when there are none. */
export function median(xs) {
  const s = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPU seconds (user + system) a live process has used. */
export function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
}

/** User and system CPU seconds of a live process, apart. */
export function cpuSplit(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(f[11]) / TICKS_PER_SECOND, system: Number(f[12]) / TICKS_PER_SECOND };
}

/** Starts `cmd args` with quiet logs; keeps everything it prints. */
export function start(cmd, args, env = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, SIGMASCOPE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
  return { child, exited, out: () => out };
}

/** `sigmascope ARGS` in the background (extra `nodeArgs` go before the CLI, e.g. --cpu-prof). */
export function startCli(args, env = {}, nodeArgs = []) {
  return start(process.execPath, [...nodeArgs, CLI, ...args], env);
}

/** `sigmascope ARGS` to completion; its stdout, trimmed. Throws on a non-zero exit. */
export function runCli(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SIGMASCOPE_LOG_LEVEL: 'warn' } });
  if (r.status !== 0) throw new Error(`sigmascope ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** Waits until `re` matches what the process printed; returns its first group. */
export async function waitForOutput(p, re, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = re.exec(p.out());
    if (m) return m[1];
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${re} in: ${p.out()}`);
    await sleep(50);
  }
}

/** SIGTERM, then SIGKILL after 8 s; resolves when it exited. */
export async function stopProc(p) {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), 8_000);
  await p.exited;
  clearTimeout(t);
}
