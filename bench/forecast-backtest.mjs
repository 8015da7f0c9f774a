// Forecast backtests on held-out real traces (bench/forecast/backtest-corpus.ts): rolling origin,
// the model fitted only to what came before each origin, MAPE and prediction-interval coverage
// per series, with the naive forecast's MAPE on the same points beside it.
//
// Usage: node bench/forecast-backtest.mjs [--level 0.8] [--select holdout|aic] [--format json|markdown]
//   --select  how each origin's model kind is chosen (protocol/src/forecast/forecast.ts); the default
//             was chosen on the tuning files' mean MAPE (docs/analytics.md)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importTs } from './support/bundle-ts.mjs';
import { ROOT } from './support/processes.mjs';

let opts;
try {
  opts = parseArgs({ options: { level: { type: 'string', default: '0.8' }, select: { type: 'string', default: 'holdout' }, format: { type: 'string', default: 'markdown' } } }).values;
} catch (err) {
  process.stderr.write(`bench/forecast-backtest.mjs: ${err.message}\n`);
  process.exit(2);
}
const level = Number(opts.level);
if (!(level > 0 && level < 1) || !['json', 'markdown'].includes(opts.format) || !['holdout', 'aic'].includes(opts.select)) {
  process.stderr.write('bench/forecast-backtest.mjs: --level must be in (0, 1), --select holdout or aic, --format json or markdown\n');
  process.exit(2);
}
const m = await importTs('bench/forecast/backtest-corpus.ts');
const started = process.cpuUsage();
const results = m.loadTraces(join(ROOT, 'tests', 'fixtures')).map((t) => m.backtestTrace(t, level, opts.select) ?? { name: t.name, role: t.role, skipped: 'too short for a week of training plus forecasts' });
const cpu = process.cpuUsage(started);
const r1 = (x) => Math.round(x * 10) / 10;
const r3 = (x) => Math.round(x * 1000) / 1000;
if (opts.format === 'json') {
  process.stdout.write(`${JSON.stringify({ level, cpu_s: r1((cpu.user + cpu.system) / 1e6), results }, null, 1)}\n`);
} else {
  const lines = [`| series | role | forecastable (noise floor %) | steps ahead | origins | MAPE % | naive MAPE % | MAPE / naive | coverage (nominal ${level}) | models chosen |`, '|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    if (r.skipped) { lines.push(`| ${r.name} | ${r.role} | — | — | — | — | — | — | — | ${r.skipped} |`); continue; }
    const met = r.forecastable && r.mape <= 15;
    lines.push(`| ${r.name} | ${r.role} | ${r.forecastable ? 'yes' : 'no'} (${r1(r.noiseFloorMape)}) | 1–${r.horizon} | ${r.origins} | ${met ? '**' : ''}${r1(r.mape)}${met ? '**' : ''} | ${r1(r.naiveMape)} | ${r3(r.vsNaive)} | ${r3(r.coverage)} | ${Object.entries(r.kinds).map(([k, n]) => `${k} ${n}`).join(', ')} |`);
  }
  const mean = (role) => { const xs = results.filter((r) => !r.skipped && r.forecastable && r.role === role).map((r) => r.mape); return r1(xs.reduce((a, b) => a + b, 0) / xs.length); };
  lines.push('', `Mean MAPE over the forecastable series (select ${opts.select}): tuning ${mean('tuning')} %, held out ${mean('held-out')} %. CPU ${r1((cpu.user + cpu.system) / 1e6)} s for ${results.length} series.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
