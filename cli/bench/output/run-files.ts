/**
 * A run's folder, `DIR/<run id>/`: requests.jsonl appended one line per finished request (so an
 * interrupted run keeps them), run.json written once at the end (to a temporary name, then
 * renamed, so a reader never sees half of it). Reading accepts the folder, its run.json, or a run
 * id under the default folder, and validates what it reads.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '@sigmascope/protocol/config-error';
import type { RequestRecord } from './request-record.ts';
import type { RunRecord } from './run-record.ts';

/** Where runs go when no --out is given. */
export const DEFAULT_RUNS_DIR = join('.sigmascope', 'runs');

export interface RunFolder {
  readonly dir: string;
  append(r: RequestRecord): void;
  finish(run: RunRecord): void;
}

/** Creates `outDir/id/` with an empty requests.jsonl. */
export function createRunFolder(outDir: string, id: string): RunFolder {
  const dir = resolve(outDir, id);
  mkdirSync(dir, { recursive: true });
  const requests = join(dir, 'requests.jsonl');
  // One descriptor for the run: a line is one write (no open and close per request while
  // others are in flight), and it is in the file as soon as the request finished.
  const fd = openSync(requests, 'w');
  return {
    dir,
    append: (r) => void writeSync(fd, `${JSON.stringify(r)}\n`),
    finish(run) {
      closeSync(fd);
      const tmp = join(dir, '.run.json.tmp');
      writeFileSync(tmp, `${JSON.stringify(run, null, 2)}\n`);
      renameSync(tmp, join(dir, 'run.json'));
    },
  };
}

/** A run as read back. */
export interface LoadedRun {
  readonly dir: string;
  readonly run: RunRecord;
  readonly requests: readonly RequestRecord[];
}

function locate(ref: string): string {
  const candidates = [resolve(ref), resolve(DEFAULT_RUNS_DIR, ref)];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isDirectory() && existsSync(join(c, 'run.json'))) return c;
    if (existsSync(c) && statSync(c).isFile() && c.endsWith('.json')) return resolve(c, '..');
  }
  throw new ConfigError(ref, `no run here: give a run folder (with run.json), its run.json, or a run id under ${DEFAULT_RUNS_DIR}`);
}

/** Reads a run; throws ConfigError naming the file and what is wrong. */
export function loadRun(ref: string): LoadedRun {
  const dir = locate(ref);
  const runPath = join(dir, 'run.json');
  let run: RunRecord;
  try {
    run = JSON.parse(readFileSync(runPath, 'utf8')) as RunRecord;
  } catch (err) {
    throw new ConfigError(runPath, `not readable JSON (${(err as Error).message})`);
  }
  if (typeof run !== 'object' || run === null || typeof run.id !== 'string' || typeof run.summary !== 'object' || run.summary === null || typeof run.config !== 'object') throw new ConfigError(runPath, 'not a run.json (no id, summary or config)');
  const requests: RequestRecord[] = [];
  const reqPath = join(dir, 'requests.jsonl');
  const text = existsSync(reqPath) ? readFileSync(reqPath, 'utf8') : '';
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let r: RequestRecord;
    try {
      r = JSON.parse(line) as RequestRecord;
    } catch {
      throw new ConfigError(`${reqPath}:${i + 1}`, 'not a JSON line');
    }
    if (typeof r.target !== 'string' || typeof r.ok !== 'boolean' || typeof r.e2e_ms !== 'number') throw new ConfigError(`${reqPath}:${i + 1}`, 'not a request record (target, ok, e2e_ms)');
    requests.push(r);
  });
  return { dir, run, requests };
}
