import { configDefaults, defineConfig } from 'vitest/config';
import { TIMING_FILES } from './tests/support/timing-files.ts';

export default defineConfig({
  test: {
    include: ['protocol/src/**/*.test.ts', 'agent/src/**/*.test.ts', 'collector/src/**/*.test.ts', 'web/src/**/*.test.ts', 'cli/**/*.test.ts', 'tests/**/*.test.ts'],
    // Timing-sensitive files run afterwards, alone: vitest.timing.config.ts.
    exclude: [...configDefaults.exclude, ...TIMING_FILES],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Cross-process tests start real agents and collectors; on 2 cores, run files two at a time.
    maxWorkers: 2,
    pool: 'forks',
  },
});
