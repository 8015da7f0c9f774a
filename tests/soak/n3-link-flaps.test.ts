import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { n3 } from './n3-link-flaps.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`N3 (short): ${n3.title}`, () => runScenario(n3, 'short'), runTimeoutMs(n3, 'short'));
