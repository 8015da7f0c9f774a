// What anomaly detection costs: CPU per point per series and heap per series of the detector at
// the agent's, the collector's and the NAB-tuned settings (protocol/src/anomaly), and the
// collector's minute scan (collector/src/analytics/anomaly-scan.ts) over a real store of
// --series series: CPU seconds per scanned minute, as a share of one core.
//
// Usage: node --expose-gc bench/anomaly-cost.mjs [--series 100000] [--minutes 4] [--runs 3]
import { parseArgs } from 'node:util';
import { importTs } from './support/bundle-ts.mjs';
import { median } from './support/processes.mjs';

let opts;
try {
  opts = parseArgs({ options: { series: { type: 'string', default: '100000' }, minutes: { type: 'string', default: '4' }, runs: { type: 'string', default: '3' } } }).values;
} catch (err) {
  process.stderr.write(`bench/anomaly-cost.mjs: ${err.message}\n`);
  process.exit(2);
}
const series = Number(opts.series);
const minutes = Number(opts.minutes);
const runs = Number(opts.runs);
if (!Number.isInteger(series) || series < 100 || !Number.isInteger(minutes) || minutes < 2 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('bench/anomaly-cost.mjs: --series ≥ 100, --minutes ≥ 2 and --runs ≥ 1 must be integers\n');
  process.exit(2);
}
if (typeof globalThis.gc !== 'function') process.stderr.write('bench/anomaly-cost.mjs: run with node --expose-gc for exact heap figures\n');
const m = await importTs('bench/anomaly/scan-fill.ts');
const r2 = (x) => Math.round(x * 100) / 100;

const detector = {};
for (const [name, options] of Object.entries(m.SETTINGS)) {
  const us = Array.from({ length: runs }, () => m.detectorCost(options, 1_000, 200));
  detector[name] = { window: options.window, seasonality: options.seasonality, us_per_point: r2(median(us)), runs: us.map(r2), bytes_per_series: Math.round(m.detectorBytes(options, 20_000)) };
}
const scans = Array.from({ length: runs }, () => m.scanCost(series, 6, minutes));
// The first scanned minute creates every detector; the steady cost is the later minutes'.
const steady = scans.map((s) => median(s.scanCpuS.slice(1)));
process.stdout.write(`${JSON.stringify({
  detector,
  collector_scan: {
    series, points_per_series_per_minute: 6, watched: scans[0].watched,
    cpu_s_per_minute: r2(median(steady)), share_of_one_core_pct: r2((100 * median(steady)) / 60),
    first_minute_cpu_s: r2(median(scans.map((s) => s.scanCpuS[0]))),
    runs: steady.map(r2),
  },
}, null, 1)}\n`);
