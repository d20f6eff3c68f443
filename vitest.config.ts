import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Tests send many messages as one identity; the rate limit tests set their own limit. Deltas
    // go out as the model sends them (the coalescing has its own tests).
    env: { MAESTRO_OFFLINE_DELAY_MS: '0', MAESTRO_RATE_LIMIT_PER_MINUTE: '0', MAESTRO_STREAM_COALESCE_MS: '0' },
  },
});
