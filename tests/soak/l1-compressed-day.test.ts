import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { l1 } from './l1-compressed-day.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`L1 (short): ${l1.title}`, () => runScenario(l1, 'short'), runTimeoutMs(l1, 'short'));
