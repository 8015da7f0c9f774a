/**
 * Runs a one-time inventory in a short-lived child process of the same runtime (Node or Bun) and
 * hands back the JSON it prints. The libraries that read inventories (systeminformation,
 * node-nvidia-smi with its XML parser) are needed once per start; imported by the agent they
 * would stay in its memory for as long as it runs (several MB of RSS for a read that takes a
 * second). A child that outlives its timeout, or whose caller aborts, is killed with everything
 * it started (it leads its own process group).
 *
 * The script runs under `node -e` / `bun -e`: CommonJS-compatible JavaScript that reads its
 * arguments from the end of process.argv, prints one JSON value on stdout and exits 0; on failure
 * it prints the reason on stderr and exits non-zero (see the scripts beside each caller).
 */
import { spawn } from 'node:child_process';

/** What the child printed, parsed; or why there is nothing. */
export type ChildJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly exitCode: number | null; readonly reason: string };

export interface ChildJsonOptions {
  readonly timeoutMs: number;
  /** Aborting kills the child; the promise then resolves with `aborted`. */
  readonly signal?: AbortSignal;
}

/** Largest answer read from a child; an inventory is a few kB. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Starts `script` with `args` in a child and resolves once it exited or was killed. Never throws. */
export function runJsonChild(script: string, args: readonly string[], options: ChildJsonOptions): Promise<ChildJson> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve({ ok: false, exitCode: null, reason: 'aborted' });
    const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let killedFor: string | null = null;
    const kill = (why: string): void => {
      if (killedFor !== null || child.exitCode !== null || child.signalCode !== null) return;
      killedFor = why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill(`no answer within ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = (): void => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes > MAX_OUTPUT_BYTES) kill(`more than ${MAX_OUTPUT_BYTES} bytes of output`);
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 2_000) err += d.toString('utf8');
    });
    const finish = (r: ChildJson): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    child.once('error', (e) => finish({ ok: false, exitCode: null, reason: `cannot start ${process.execPath}: ${e.message}` }));
    child.once('close', (code, signal) => {
      if (killedFor !== null) return finish({ ok: false, exitCode: null, reason: killedFor });
      if (code !== 0) return finish({ ok: false, exitCode: code, reason: err.trim() || (signal !== null ? `killed by ${signal}` : `exit code ${code}`) });
      try {
        finish({ ok: true, value: JSON.parse(Buffer.concat(out).toString('utf8')) as unknown });
      } catch {
        finish({ ok: false, exitCode: code, reason: 'the answer is not JSON' });
      }
    });
  });
}
