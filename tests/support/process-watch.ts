/**
 * Watches the processes of a long scenario: every one started is kept (restarts included), one
 * that exits without the scenario stopping it is an error at once, and at the end their output
 * is searched for uncaught exceptions, unhandled rejections and error-level log lines.
 */
import type { Proc } from './processes.ts';

export interface ProcessWatch {
  /** Adds a process the scenario expects to keep running; returns it. */
  add<T extends { proc: Proc }>(label: string, handle: T): T;
  /** The scenario is about to stop or kill this one: its exit is expected. */
  release(handle: { proc: Proc }): void;
  /** Throws when a watched process exited by itself. */
  check(): void;
  /** What the processes printed that a clean run never prints. */
  findings(): { uncaught: string[]; errorLines: string[] };
}

const UNCAUGHT = /uncaught|unhandled|ERR_UNHANDLED_REJECTION|^\s+at .+:\d+:\d+\)?$/im;

export function watchProcesses(): ProcessWatch {
  const all: { label: string; proc: Proc }[] = [];
  const live = new Map<Proc, string>();
  return {
    add(label, handle) {
      all.push({ label, proc: handle.proc });
      live.set(handle.proc, label);
      return handle;
    },
    release(handle) {
      live.delete(handle.proc);
    },
    check() {
      for (const [proc, label] of live) {
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
          throw new Error(`${label} exited by itself (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output().slice(-2000)}`);
        }
      }
    },
    findings() {
      const uncaught: string[] = [];
      const errorLines: string[] = [];
      for (const { label, proc } of all) {
        for (const line of proc.output().split('\n')) {
          if (UNCAUGHT.test(line)) uncaught.push(`${label}: ${line.slice(0, 300)}`);
          if (line.includes('"level":"error"')) errorLines.push(`${label}: ${line.slice(0, 300)}`);
        }
      }
      return { uncaught, errorLines };
    },
  };
}
