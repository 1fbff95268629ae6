/** Vitest configuration: unit tests beside the code, integration tests in test/, one summary line at the end. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'web/src/**/*.test.tsx', 'bench/**/*.test.ts'],
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // every HTTP answer an integration test receives is checked against the OpenAPI document when its file ends
    setupFiles: ['./test/support/api-contract.setup.ts'],
  },
});
