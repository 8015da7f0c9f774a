/**
 * What bench/similarity-knn.mjs measures, in TypeScript: `count` incident signatures stored
 * through SignatureRows in a real SQLite file with sqlite-vec, then nearest-neighbour queries:
 * their latency and their recall against an exact cosine scan of the same signatures.
 *
 * The signatures are drawn like real ones: 24 shapes of fault (a kind or three stepping up or
 * down at the onset, or ramping, as provider, host and network incidents do), each drawn with a
 * random size, onset jitter of a minute, and noise on every component.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededNormal } from '../../protocol/src/spc/seeded-normal.ts';
import { SIGNATURE_BUCKETS, SIGNATURE_KINDS, SIGNATURE_LENGTH, signatureFromZ } from '../../collector/src/analytics/incident-signature.ts';
import { SignatureRows } from '../../collector/src/store/rows/signature-rows.ts';
import { openDatabase } from '../../collector/src/store/schema/sqlite-db.ts';

const KINDS = SIGNATURE_KINDS.length;

interface Shape {
  readonly kinds: readonly number[];
  readonly sign: number;
  readonly ramp: boolean;
}

function shapes(rnd: () => number): Shape[] {
  const u = (): number => (rnd() + 4) / 8;
  return Array.from({ length: 24 }, (_, i) => {
    const n = 1 + (i % 3);
    const kinds = Array.from({ length: n }, () => Math.min(KINDS - 1, Math.floor(Math.abs(u()) * KINDS)));
    return { kinds, sign: i % 5 === 0 ? -1 : 1, ramp: i % 4 === 0 };
  });
}

/** One signature's z-scores drawn from a shape. */
function draw(shape: Shape, rnd: () => number): Float64Array {
  const z = new Float64Array(SIGNATURE_LENGTH);
  for (let j = 0; j < z.length; j++) z[j] = 0.6 * rnd();
  const size = 3 + 2 * Math.abs(rnd());
  const onset = 6 + Math.round(rnd());
  for (const k of shape.kinds) {
    for (let b = Math.max(0, onset); b < SIGNATURE_BUCKETS; b++) {
      const level = shape.ramp ? (size * (b - onset + 1)) / (SIGNATURE_BUCKETS - onset) : size;
      z[k * SIGNATURE_BUCKETS + b] = (z[k * SIGNATURE_BUCKETS + b] as number) + shape.sign * level;
    }
  }
  return z;
}

export interface KnnFigures {
  readonly count: number;
  readonly fillS: number;
  /** Wall time of each query (ms), and the process's CPU time in it. */
  readonly ms: readonly number[];
  readonly cpuMs: readonly number[];
  readonly recallAt10: number;
  /** Share of the 10 found that are of the query's own shape (what a person needs: the same kind of fault). */
  readonly sameShapeAt10: number;
  /** The same share for the exact 10 nearest: the best any search could do on these signatures. */
  readonly exactSameShapeAt10: number;
  readonly dbBytes: number;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return 1 - ab / Math.sqrt(aa * bb);
}

/** Stores `count` signatures, runs `queries` KNN queries (k = 10): latency per query in ms, recall against an exact scan. */
export function knnFigures(count: number, queries: number, seed = 1, candidates?: number): KnnFigures {
  const dir = mkdtempSync(join(tmpdir(), 'sigmascope-bench-knn-'));
  const { db, path } = openDatabase(dir);
  const rows = new SignatureRows(db);
  const rnd = seededNormal(seed);
  const all = shapes(rnd);
  const stored: Float32Array[] = [];
  const t = performance.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const shape = all[i % all.length] as Shape;
      const sig = signatureFromZ(draw(shape, rnd));
      stored.push(sig.embedding);
      rows.upsert({ incidentId: `inc-${i}`, startedAt: i * 60_000, cause: 'unknown', summary: `incident ${i}`, note: null, state: 'resolved', resolvedAt: i * 60_000 + 1 }, sig.embedding, sig.bits);
    }
  })();
  const fillS = (performance.now() - t) / 1000;
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let hits = 0;
  let sameShape = 0;
  let exactSameShape = 0;
  for (let q = 0; q < queries; q++) {
    const shape = q % all.length;
    const sig = signatureFromZ(draw(all[shape] as Shape, rnd));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const found = rows.nearest(sig.embedding, sig.bits, 10, '', candidates);
    ms.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpuMs.push((c1.user + c1.system) / 1000);
    sameShape += found.filter((f) => Number(f.incidentId.slice(4)) % all.length === shape).length / Math.max(1, found.length);
    // The exact 10 nearest by cosine, for recall (every 10th query: the scan is slow).
    if (q % 10 === 0) {
      const exact = stored.map((e, i) => [cosine(sig.embedding, e), i] as const).sort((a, b) => a[0] - b[0]).slice(0, 10).map(([, i]) => i);
      const got = new Set(found.map((f) => f.incidentId));
      hits += exact.filter((i) => got.has(`inc-${i}`)).length;
      exactSameShape += exact.filter((i) => i % all.length === shape).length / 10;
    }
  }
  const dbBytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  if (path === '') throw new Error('unreachable');
  return { count, fillS, ms, cpuMs, recallAt10: hits / (Math.ceil(queries / 10) * 10), sameShapeAt10: sameShape / queries, exactSameShapeAt10: exactSameShape / Math.ceil(queries / 10), dbBytes };
}
