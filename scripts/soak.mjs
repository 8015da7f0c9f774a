// `npm run soak [-- --only NAME[,NAME…]] [--minutes N]`: the soak scenarios of RELIABILITY.md at
// full length (tests/soak/), one after another, outside `npm test`. Each prints one JSON line of
// figures; the lines are kept in test-artifacts/soak/<time>.jsonl and printed again at the end.
// Exit code 0 when every scenario run passed, 1 otherwise, 2 for bad flags.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `Usage: npm run soak [-- --only NAME[,NAME…]] [--minutes N]

Runs the soak scenarios (D1, D3, N1, N2, N3, B3, L1, F1: docs/reliability.md) with real
processes on loopback, each ending with the oracle, and prints one JSON line of figures each.
  --only NAME   run only these scenarios (repeat the flag or separate names with commas)
  --minutes N   length of each scenario's fault phase instead of RELIABILITY.md's (e.g. 0.5
                to try the harness; the figures then say which length they are for)`;

let values;
try {
  ({ values } = parseArgs({ options: { only: { type: 'string', multiple: true }, minutes: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
} catch (err) {
  process.stderr.write(`soak: ${err.message}\n\n${HELP}\n`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const env = { ...process.env };
if (values.minutes !== undefined) {
  const m = Number(values.minutes);
  if (!/^\d+(\.\d+)?$/.test(values.minutes) || !(m > 0) || m > 24 * 60) {
    process.stderr.write(`soak: --minutes: ${JSON.stringify(values.minutes)} is not a number of minutes in (0, 1440]\n`);
    process.exit(2);
  }
  env.SIGMASCOPE_SOAK_MINUTES = String(m);
}
if (values.only !== undefined) env.SIGMASCOPE_SOAK_ONLY = values.only.join(',');

const dir = join(root, 'test-artifacts', 'soak');
mkdirSync(dir, { recursive: true });
const results = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
writeFileSync(results, '');
env.SIGMASCOPE_SOAK_RESULTS = results;

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--config', 'vitest.soak.config.ts'], { cwd: root, env, stdio: 'inherit' });
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));

const lines = existsSync(results) ? readFileSync(results, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
console.log(`\nsoak results (${results.slice(root.length + 1)}):`);
for (const l of lines) console.log(l);
const failed = lines.filter((l) => JSON.parse(l).pass !== true).length;
if (lines.length === 0) console.log('no scenario ran');
process.exit(code === 0 && failed === 0 && lines.length > 0 ? 0 : 1);
