/**
 * The full-length soak (`npm run soak`): every scenario of scenarios.ts at RELIABILITY.md's
 * length, one after another, or those SIGMASCOPE_SOAK_ONLY names (comma-separated).
 */
import { afterAll, describe, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';
import { SCENARIOS } from './scenarios.ts';

afterAll(() => killAll());

const only = (process.env.SIGMASCOPE_SOAK_ONLY ?? '').split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');

const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n));

describe('soak', () => {
  if (unknown.length > 0) it('--only names known scenarios', () => {
    throw new Error(`--only: ${unknown.join(', ')} is not a scenario (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  });
  for (const s of SCENARIOS) {
    const run = only.length === 0 || only.includes(s.name) ? it : it.skip;
    run(`${s.name}: ${s.title}`, async () => {
      await runScenario(s, 'full');
      killAll();
    }, runTimeoutMs(s, 'full'));
  }
});
