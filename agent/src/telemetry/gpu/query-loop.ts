/**
 * The one persistent `nvidia-smi --query-gpu=… --format=csv,noheader,nounits -lms N` child that
 * feeds the GPU source, kept alive:
 *
 *   spawn ──lines──▶ onLine            (rows for every GPU, every N ms)
 *     │ exit / crash / no output for stallMs (killed)
 *     ▼
 *   waiting ──equal-jitter backoff (1 s, 2 s, 4 s … 60 s)──▶ spawn
 *
 *   spawn fails with ENOENT/EACCES ──▶ missing (no retry: there is nothing to run)
 *
 * The attempt counter resets once a child has lived `stableMs`. A child that names a field it
 * does not know ("Field "x" is not a valid field to query") is reported through
 * `onInvalidField`, so the owner can drop that field and the next spawn follows at once.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '@sigmascope/protocol/log';

/** Where the loop stands. */
export type LoopState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly pid: number | undefined; readonly since: number }
  | { readonly kind: 'waiting'; readonly detail: string; readonly retryAt: number }
  | { readonly kind: 'missing'; readonly detail: string }
  | { readonly kind: 'stopped' };

/** Options of the loop. */
export interface QueryLoopOptions {
  /** The nvidia-smi executable: a name looked up on PATH or a path. */
  readonly command: string;
  /** The fields to ask for; read at every spawn, so the owner may shrink it between spawns. */
  readonly fields: () => readonly string[];
  readonly intervalMs: number;
  /** Every non-empty output line, trimmed. */
  readonly onLine: (line: string) => void;
  /** A field nvidia-smi rejected; return true when the owner dropped it and a respawn makes sense. */
  readonly onInvalidField?: (field: string) => boolean;
  readonly log: Logger;
  readonly restartBaseMs?: number;
  readonly restartCapMs?: number;
  /** A child silent this long is killed and restarted (a GPU that fell off the bus hangs nvidia-smi). */
  readonly stallMs?: number;
  readonly stableMs?: number;
  readonly random?: () => number;
}

const INVALID_FIELD = /Field "([^"]+)" is not a valid field to query/;

/** The supervised child. start() once, stop() once; never throws after start. */
export class QueryLoop {
  private readonly o: QueryLoopOptions;
  private child: ChildProcess | null = null;
  private current: LoopState = { kind: 'idle' };
  private attempt = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private lastOutputAt = 0;
  private outputTail: string[] = [];
  /** Children started after the first: how often the loop had to recover. */
  restarts = 0;

  constructor(options: QueryLoopOptions) {
    this.o = options;
  }

  /** The loop's state now. */
  state(): LoopState {
    return this.current;
  }

  /** The argument list of one spawn. */
  args(): string[] {
    return [`--query-gpu=${this.o.fields().join(',')}`, '--format=csv,noheader,nounits', '-lms', String(this.o.intervalMs)];
  }

  /** Spawns the first child. */
  start(): void {
    if (this.current.kind !== 'idle') return;
    const stallMs = this.o.stallMs ?? Math.max(15_000, 10 * this.o.intervalMs);
    this.watchdog = setInterval(() => {
      if (this.child !== null && this.current.kind === 'running' && performance.now() - this.lastOutputAt > stallMs) {
        this.o.log.warn('nvidia-smi silent, killing it', { silentMs: performance.now() - this.lastOutputAt });
        this.child.kill('SIGKILL');
      }
    }, Math.min(stallMs, 1_000));
    this.watchdog.unref?.();
    this.spawnChild();
  }

  private spawnChild(): void {
    this.restartTimer = undefined;
    this.outputTail = [];
    let child: ChildProcess;
    try {
      child = spawn(this.o.command, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      this.onGone(null, `cannot start ${this.o.command}: ${err instanceof Error ? err.message : String(err)}`, null);
      return;
    }
    this.child = child;
    const since = performance.now();
    this.lastOutputAt = since;
    this.current = { kind: 'running', pid: child.pid, since };
    let pending = '';
    let ended = false;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.lastOutputAt = performance.now();
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line !== '') {
          this.keep(line);
          this.o.onLine(line);
        }
        nl = pending.indexOf('\n');
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim() !== '') this.keep(line.trim());
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (ended) return;
      ended = true;
      this.onGone(child, err.message, err.code ?? null);
    });
    child.on('close', (code, signal) => {
      if (ended) return;
      ended = true;
      this.onGone(child, signal !== null ? `killed by ${signal}` : `exited with code ${code}`, null, since);
    });
  }

  private keep(line: string): void {
    this.outputTail.push(line.slice(0, 300));
    if (this.outputTail.length > 3) this.outputTail.shift();
  }

  private onGone(child: ChildProcess | null, how: string, errno: string | null, since?: number): void {
    if (this.child === child) this.child = null;
    if (this.current.kind === 'stopped') return;
    if (errno === 'ENOENT' || errno === 'EACCES') {
      this.current = { kind: 'missing', detail: errno === 'ENOENT' ? `nvidia-smi not found (${this.o.command})` : `nvidia-smi not executable (${this.o.command})` };
      this.o.log.info('GPU telemetry disabled', { reason: this.current.detail });
      return;
    }
    const said = this.outputTail.join(' | ');
    const invalid = INVALID_FIELD.exec(said);
    if (invalid !== null && this.o.onInvalidField?.(invalid[1] as string) === true) {
      this.o.log.info('nvidia-smi does not know a field; asking without it', { field: invalid[1] });
      this.restarts++;
      this.spawnChild();
      return;
    }
    if (since !== undefined && performance.now() - since >= (this.o.stableMs ?? 30_000)) this.attempt = 0;
    const ceiling = Math.min(this.o.restartCapMs ?? 60_000, (this.o.restartBaseMs ?? 1_000) * 2 ** Math.min(this.attempt, 30));
    const delay = Math.round(ceiling / 2 + (this.o.random ?? Math.random)() * (ceiling / 2));
    this.attempt++;
    const detail = `nvidia-smi ${how}${said === '' ? '' : `: ${said}`}`;
    this.current = { kind: 'waiting', detail, retryAt: performance.now() + delay };
    this.o.log.warn('nvidia-smi stopped; restarting', { detail, delayMs: delay, attempt: this.attempt });
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      this.spawnChild();
    }, delay);
    this.restartTimer.unref?.();
  }

  /** Stops the loop and its child (SIGTERM, then SIGKILL after 2 s). Idempotent. */
  async stop(): Promise<void> {
    this.current = { kind: 'stopped' };
    clearTimeout(this.restartTimer);
    clearInterval(this.watchdog);
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 2_000);
      child.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
