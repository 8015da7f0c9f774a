/** Every soak scenario, in the order `npm run soak` runs them. */
import { d1 } from './d1-collector-down.ts';
import type { Scenario } from './scenario.ts';

export const SCENARIOS: readonly Scenario[] = [d1];
