/**
 * Test files that hold the product to what happens in real time: a probe's millisecond clock
 * against what a local server actually did, and incidents found within seconds of a fault in a
 * simulated fleet. They run in their own phase, one file at a time, after the parallel suite:
 * sharing two cores with the agents and collectors of other tests stalls event loops and
 * detection passes, which is noise from the test run, not a fault of the product.
 */
export const TIMING_FILES = [
  'agent/src/probes/probe.case.test.ts',
  'cli/probe.test.ts',
  'tests/probes-cli.test.ts',
  'tests/incidents-fleet.test.ts',
  'tests/browser/incidents.test.ts',
];
