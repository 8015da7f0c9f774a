import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['protocol/src/**/*.test.ts', 'agent/src/**/*.test.ts', 'collector/src/**/*.test.ts', 'web/src/**/*.test.ts', 'cli/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Cross-process tests start real agents and collectors; on 2 cores, run files two at a time.
    maxWorkers: 2,
    pool: 'forks',
  },
});
