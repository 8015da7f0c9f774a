/** Every soak scenario, in the order `npm run soak` runs them. */
import { b3 } from './b3-never-acked.ts';
import { d1 } from './d1-collector-down.ts';
import { d3 } from './d3-collector-kill-loop.ts';
import { f1 } from './f1-mutated-frames.ts';
import { l1 } from './l1-compressed-day.ts';
import { n1, n2 } from './n1-reconnect-storm.ts';
import { n3 } from './n3-link-flaps.ts';
import type { Scenario } from './scenario.ts';

export const SCENARIOS: readonly Scenario[] = [d1, d3, n1, n2, n3, b3, l1, f1];
