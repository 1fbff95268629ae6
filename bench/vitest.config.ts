/**
 * Vitest configuration for the bench's own tests (bench/*.test.ts), which the root config does not
 * include yet: `npx vitest run --config bench/vitest.config.ts`. Behaviour only, never speed.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['bench/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
