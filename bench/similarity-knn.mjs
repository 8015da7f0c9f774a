// Similar-incident search at scale: --count signatures (default 100,000) stored in a real SQLite
// file with sqlite-vec (collector/src/store/rows/signature-rows.ts), then --queries top-10
// queries. Prints the query latency p50/p95 per run (wall time of one query on this single
// thread, and the process's CPU time in it, which other processes on a shared machine do not
// inflate), the medians over runs, the machine's load average, and two measures of the answers:
// recall@10 against an exact cosine scan, and the share of the 10 found that are of the query's
// own kind of fault beside the same share for the exact 10.
//
// Usage: node bench/similarity-knn.mjs [--count 100000] [--queries 200] [--runs 3]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { importTs } from './support/bundle-ts.mjs';
import { median } from './support/processes.mjs';

let opts;
try {
  opts = parseArgs({ options: { count: { type: 'string', default: '100000' }, queries: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } } }).values;
} catch (err) {
  process.stderr.write(`bench/similarity-knn.mjs: ${err.message}\n`);
  process.exit(2);
}
const count = Number(opts.count);
const queries = Number(opts.queries);
const runs = Number(opts.runs);
if (![count, queries, runs].every((x) => Number.isInteger(x) && x >= 1) || queries < 20) {
  process.stderr.write('bench/similarity-knn.mjs: --count, --queries (≥ 20) and --runs must be positive integers\n');
  process.exit(2);
}
const m = await importTs('bench/similarity/knn-fill.ts');
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const r2 = (x) => Math.round(x * 100) / 100;
const results = Array.from({ length: runs }, (_, i) => m.knnFigures(count, queries, i + 1));
const load = loadavg().map(r2);
process.stdout.write(`${JSON.stringify({
  signatures: count, queries_per_run: queries, k: 10, load_average: load,
  p50_ms: r2(median(results.map((r) => q(r.ms, 0.5)))), p95_ms: r2(median(results.map((r) => q(r.ms, 0.95)))),
  cpu_p50_ms: r2(median(results.map((r) => q(r.cpuMs, 0.5)))), cpu_p95_ms: r2(median(results.map((r) => q(r.cpuMs, 0.95)))),
  recall_at_10: r2(median(results.map((r) => r.recallAt10))),
  same_kind_at_10: r2(median(results.map((r) => r.sameShapeAt10))), same_kind_at_10_exact: r2(median(results.map((r) => r.exactSameShapeAt10))),
  runs: results.map((r) => ({ p50_ms: r2(q(r.ms, 0.5)), p95_ms: r2(q(r.ms, 0.95)), cpu_p95_ms: r2(q(r.cpuMs, 0.95)), recall_at_10: r2(r.recallAt10), fill_s: r2(r.fillS), db_mb: r2(r.dbBytes / 1e6) })),
}, null, 1)}\n`);
