import { defineConfig } from 'vitest/config';
import { TIMING_FILES } from './tests/support/timing-files.ts';

// The second phase of `npm test`: the real-time files (timing-files.ts), one at a time, on an otherwise idle machine.
export default defineConfig({
  test: {
    include: TIMING_FILES,
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
