/**
 * Test files that compare a probe's millisecond clock with what a local server actually did.
 * They run in their own phase, one file at a time, after the parallel suite: sharing two cores
 * with agents and collectors under test stalls event loops by tens of milliseconds, which is noise
 * from the test run, not an error of the probe's timing.
 */
export const TIMING_FILES = ['agent/src/probes/probe.case.test.ts', 'cli/probe.test.ts', 'tests/probes-cli.test.ts'];
