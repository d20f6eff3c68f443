import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, vi } from 'vitest';
import { describeRunRoutes } from '@/tests/helpers/runs-route-suite';

// The scaled-out configuration: Postgres (a private schema) and the Redis run log.
const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `maestro_runs_${Date.now().toString(36)}_${process.pid}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const url = new URL(baseUrl);
url.searchParams.set('options', `-c search_path=${schema}`);

process.env.DATABASE_URL = url.toString();
process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-runs-scaled-'));
process.env.MAESTRO_RUN_TIMEOUT_MS = '1500';
process.env.MAESTRO_RUN_LEASE_MS = '1000';

vi.mock('@/lib/models/registry', async (original) => (await import('@/tests/helpers/models')).pacedRegistry(original));

afterAll(async () => {
  const { closeStore } = await import('@/lib/store');
  await closeStore();
  await (await import('@/lib/runs/log')).getRunLog().close();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
});

describeRunRoutes('Postgres + Redis');
