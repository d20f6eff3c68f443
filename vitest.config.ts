import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Tests send many messages as one identity; the rate limit tests set their own limit.
    env: { MAESTRO_OFFLINE_DELAY_MS: '0', MAESTRO_RATE_LIMIT_PER_MINUTE: '0' },
  },
});
