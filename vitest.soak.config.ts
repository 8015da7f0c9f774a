import { defineConfig } from 'vitest/config';

// `npm run soak` (scripts/soak.mjs): the full-length scenarios, one at a time, never in `npm test`.
export default defineConfig({
  test: {
    include: ['tests/soak/soak.soak.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    hookTimeout: 120_000,
  },
});
