import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { n1 } from './n1-reconnect-storm.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`N1 (short): ${n1.title}`, () => runScenario(n1, 'short'), runTimeoutMs(n1, 'short'));
