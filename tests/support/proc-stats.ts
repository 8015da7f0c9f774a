/**
 * What a running process holds, read from outside it in /proc (Linux), as the soak scenarios
 * report it: resident memory and the part of it that is anonymous (heap, malloc, stacks: the
 * process's own) as opposed to mapped files (the node binary, libraries, LMDB's map), the
 * resident pages of one mapped file, and open file descriptors by kind.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { linearRegression } from 'simple-statistics';

export interface MemoryReading {
  /** Resident set, bytes (smaps_rollup Rss). */
  readonly rss: number;
  /** Anonymous resident memory, bytes (smaps_rollup Anonymous). */
  readonly anonymous: number;
  /** Peak resident set since the process started, bytes (status VmHWM). */
  readonly peakRss: number;
}

const kB = (text: string, field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;

/** RSS, anonymous and peak RSS of `pid`. Throws when the process is gone. */
export function memoryOf(pid: number): MemoryReading {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: kB(rollup, 'Rss'), anonymous: kB(rollup, 'Anonymous'), peakRss: kB(status, 'VmHWM') };
}

/** Resident bytes of the mappings of files whose path ends with `suffix` (e.g. LMDB's `buffer.mdb`). */
export function mappedFileRss(pid: number, suffix: string): number {
  let total = 0;
  let inside = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inside = line.trimEnd().endsWith(suffix);
    else if (inside && line.startsWith('Rss:')) total += kB(line, 'Rss');
  }
  return total;
}

export interface FdReading {
  readonly total: number;
  readonly sockets: number;
  readonly files: number;
  readonly other: number;
}

/** Open file descriptors of `pid` by kind. Throws when the process is gone. */
export function fdsOf(pid: number): FdReading {
  let sockets = 0;
  let files = 0;
  let other = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed while listing
    }
    if (target.startsWith('socket:')) sockets++;
    else if (target.startsWith('/')) files++;
    else other++;
  }
  return { total: sockets + files + other, sockets, files, other };
}

/** Bytes as MiB with one decimal, for the figures. */
export const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Least-squares slope of `ys` over `xs` (units of y per unit of x); 0 for fewer than 2 points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  return linearRegression(Array.from({ length: n }, (_, i) => [xs[i] as number, ys[i] as number])).m;
}
