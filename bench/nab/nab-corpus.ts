/**
 * The NAB subset in tests/fixtures/anomaly: each file's timestamps (ms, read as UTC), values and
 * labelled windows as indices, and the split into tuning and held-out files. The split is a rule,
 * not a choice made after seeing scores: within each category, files in alphabetical order
 * alternate tuning, held out, tuning, …
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NabWindow } from './nab-scorer.ts';

export interface NabFile {
  /** `category/file.csv`, as NAB names it. */
  readonly name: string;
  readonly ts: Float64Array;
  readonly values: Float64Array;
  readonly windows: readonly NabWindow[];
  readonly role: 'tuning' | 'held-out';
}

const stamp = (s: string): number => Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`);

/** Reads every file of the subset under `dir` (tests/fixtures/anomaly). Throws on a malformed file. */
export function loadNabCorpus(dir: string): NabFile[] {
  const windows = JSON.parse(readFileSync(join(dir, 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  const out: NabFile[] = [];
  for (const category of readdirSync(join(dir, 'data')).sort()) {
    const names = readdirSync(join(dir, 'data', category)).filter((f) => f.endsWith('.csv')).sort();
    names.forEach((file, k) => {
      const name = `${category}/${file}`;
      const lines = readFileSync(join(dir, 'data', category, file), 'utf8').trim().split('\n');
      if (lines[0]?.trim() !== 'timestamp,value') throw new Error(`${name}: expected the header timestamp,value`);
      const ts = new Float64Array(lines.length - 1);
      const values = new Float64Array(lines.length - 1);
      const index = new Map<number, number>();
      for (let i = 1; i < lines.length; i++) {
        const [t, v] = (lines[i] as string).split(',');
        const ms = stamp(t ?? '');
        const x = Number(v);
        if (!Number.isFinite(ms) || !Number.isFinite(x)) throw new Error(`${name} line ${i + 1}: ${JSON.stringify(lines[i])}`);
        ts[i - 1] = ms;
        values[i - 1] = x;
        index.set(ms, i - 1);
      }
      const limits = (windows[name] ?? []).map(([a, b]): NabWindow => {
        const i = index.get(stamp(a));
        const j = index.get(stamp(b));
        if (i === undefined || j === undefined) throw new Error(`${name}: window ${a} … ${b} does not fall on its timestamps`);
        return [i, j];
      });
      out.push({ name, ts, values, windows: limits, role: k % 2 === 0 ? 'tuning' : 'held-out' });
    });
  }
  return out;
}
