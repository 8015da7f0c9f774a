import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { d3 } from './d3-collector-kill-loop.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`D3 (short): ${d3.title}`, () => runScenario(d3, 'short'), runTimeoutMs(d3, 'short'));
