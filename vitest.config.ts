import { defineConfig } from 'vitest/config';

/** Unit and integration tests: everything except the Chromium end-to-end suite. */
export default defineConfig({
  test: {
    include: ['bridge-server/**/*.test.ts', 'widget/**/*.test.ts', 'browser-kit/**/*.test.ts', 'connectors/**/*.test.ts', 'admin/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.e2e.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
