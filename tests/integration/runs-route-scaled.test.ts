import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, vi } from 'vitest';
import { createTestSchema } from '@/tests/helpers/postgres-schema';
import { describeApprovalRoutes } from '@/tests/helpers/approvals-route-suite';
import { describeRunRoutes } from '@/tests/helpers/runs-route-suite';

// The scaled-out configuration: Postgres (a private schema) and the Redis run log.
const database = await createTestSchema('maestro_runs');

process.env.DATABASE_URL = database.url;
process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-runs-scaled-'));
process.env.MAESTRO_RUN_TIMEOUT_MS = '5000';
process.env.MAESTRO_RUN_LEASE_MS = '1000';
process.env.MAESTRO_WORKSPACE_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-workspace-'));
process.env.MAESTRO_OFFLINE_DELAY_MS = '0';
process.env.MAESTRO_RATE_LIMIT_PER_MINUTE = '0';

vi.mock('@/lib/models/registry', async (original) => (await import('@/tests/helpers/models')).pacedRegistry(original));

afterAll(async () => {
  const { closeStore } = await import('@/lib/store');
  await closeStore();
  await (await import('@/lib/runs/log')).getRunLog().close();
  await database.drop();
});

describeRunRoutes('Postgres + Redis');
describeApprovalRoutes('Postgres + Redis', { sharedRunLog: false });
