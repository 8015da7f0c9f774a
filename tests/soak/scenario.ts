/**
 * A soak scenario of RELIABILITY.md: real processes on loopback, a fault phase of a stated
 * length, and the oracle at the end. Each runs in two lengths from the same code:
 *
 *   full   `npm run soak [-- --only NAME] [--minutes N]`: the length RELIABILITY.md names
 *   short  its `*.test.ts` beside it, in `npm test`: the same checks over a shorter fault phase
 *
 * A scenario records its figures as it goes, so a run that fails still prints what it measured;
 * each run ends with one JSON line: {"scenario", "pass", "minutes", "figures", "error"?}, written
 * to stdout and, when SIGMASCOPE_SOAK_RESULTS names a file, appended to it (the runner prints it).
 */
import { appendFileSync } from 'node:fs';

export type SoakLength = 'full' | 'short';

export interface SoakContext {
  readonly length: SoakLength;
  /** Minutes of the fault phase: the scenario's own for its length, or --minutes. */
  readonly minutes: number;
  /** Figures so far; the JSON line carries them, pass or fail. */
  readonly figures: Record<string, unknown>;
  /** A progress line on stderr, for the full runs (hours long) only. */
  progress(message: string): void;
}

export interface Scenario {
  /** RELIABILITY.md's name: D1, D3, N1, … */
  readonly name: string;
  readonly title: string;
  /** Minutes of the fault phase for each length. */
  readonly minutes: Readonly<Record<SoakLength, number>>;
  /** Runs the scenario; throws (a failed expectation) when a criterion does not hold. */
  run(ctx: SoakContext): Promise<void>;
}

/** How long a run may take at most: its fault phase, plus start-up, drains and oracle. */
export function runTimeoutMs(s: Scenario, length: SoakLength, minutes = minutesFor(s, length)): number {
  return Math.round(minutes * 60_000 * 1.5) + (length === 'full' ? 15 : 4) * 60_000;
}

function minutesFor(s: Scenario, length: SoakLength): number {
  const override = length === 'full' ? process.env.SIGMASCOPE_SOAK_MINUTES : undefined;
  return override !== undefined && override !== '' ? Number(override) : s.minutes[length];
}

/** Runs `s` at `length` and prints its JSON line; rethrows the failure after printing. */
export async function runScenario(s: Scenario, length: SoakLength): Promise<Record<string, unknown>> {
  const minutes = minutesFor(s, length);
  const figures: Record<string, unknown> = {};
  const started = Date.now();
  const ctx: SoakContext = {
    length, minutes, figures,
    progress: (m) => {
      if (length === 'full') process.stderr.write(`[soak ${s.name} ${((Date.now() - started) / 60_000).toFixed(1)} min] ${m}\n`);
    },
  };
  let error: unknown = null;
  try {
    await s.run(ctx);
  } catch (err) {
    error = err;
  }
  const line = JSON.stringify({
    scenario: s.name, pass: error === null, length, minutes, wallSeconds: Math.round((Date.now() - started) / 1000), figures,
    ...(error === null ? {} : { error: error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error) }),
  });
  process.stdout.write(`${line}\n`);
  const results = process.env.SIGMASCOPE_SOAK_RESULTS;
  if (results !== undefined && results !== '') appendFileSync(results, `${line}\n`);
  if (error !== null) throw error;
  return figures;
}
