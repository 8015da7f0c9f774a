import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { n2 } from './n1-reconnect-storm.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`N2 (short): ${n2.title}`, () => runScenario(n2, 'short'), runTimeoutMs(n2, 'short'));
