import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { b3 } from './b3-never-acked.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`B3 (short): ${b3.title}`, () => runScenario(b3, 'short'), runTimeoutMs(b3, 'short'));
