import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { d1 } from './d1-collector-down.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`D1 (short): ${d1.title}`, () => runScenario(d1, 'short'), runTimeoutMs(d1, 'short'));
