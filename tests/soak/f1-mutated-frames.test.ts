import { afterAll, it } from 'vitest';
import { killAll } from '../support/processes.ts';
import { f1 } from './f1-mutated-frames.ts';
import { runScenario, runTimeoutMs } from './scenario.ts';

afterAll(() => killAll());

it(`F1 (short, 100,000 frames): ${f1.title}`, () => runScenario(f1, 'short'), runTimeoutMs(f1, 'short'));
