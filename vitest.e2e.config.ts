import { defineConfig } from 'vitest/config';

/** End-to-end: real bridge, real Debian Chromium (playwright-core), fake media devices. */
export default defineConfig({
  test: {
    include: ['**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
