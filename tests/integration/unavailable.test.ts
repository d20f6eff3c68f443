import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createTestSchema } from '@/tests/helpers/postgres-schema';
import { jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { parseChunks } from '@/tests/helpers/sse';

/**
 * Postgres or Redis down at request time: the routes answer a clear 503, nothing is left half
 * done, and once the service is back the same routes work again. Each phase loads a fresh module
 * graph with its own environment (the configuration is read once per graph).
 * Needs Postgres and Redis (see store-postgres.test.ts and run-log-redis.test.ts).
 */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const workingDatabase = await createTestSchema('maestro_unavailable');
/** Nothing listens on port 1: every connection is refused. */
const closedDatabaseUrl = 'postgres://postgres@127.0.0.1:1/test';
const closedRedisUrl = 'redis://127.0.0.1:1';

process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-unavailable-'));
process.env.MAESTRO_RATE_LIMIT_PER_MINUTE = '0';
process.env.MAESTRO_RUN_LEASE_MS = '1000';

vi.mock('@/lib/models/registry', async (original) => (await import('@/tests/helpers/models')).pacedRegistry(original));

type Routes = {
  messages: typeof import('@/app/api/chats/[id]/messages/route');
  chat: typeof import('@/app/api/chats/[id]/route');
  chats: typeof import('@/app/api/chats/route');
  run: typeof import('@/app/api/chats/[id]/run/route');
};

const runLogHolder = globalThis as typeof globalThis & { __maestroRunLog?: { close(): Promise<void> } };

/** Drops this process's store and run log, then loads the routes anew with `env`. */
async function boot(env: { DATABASE_URL?: string; REDIS_URL?: string }): Promise<Routes> {
  await (await import('@/lib/store')).closeStore();
  await runLogHolder.__maestroRunLog?.close().catch(() => undefined);
  delete runLogHolder.__maestroRunLog;
  for (const key of ['DATABASE_URL', 'REDIS_URL'] as const) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  vi.resetModules();
  return {
    messages: await import('@/app/api/chats/[id]/messages/route'),
    chat: await import('@/app/api/chats/[id]/route'),
    chats: await import('@/app/api/chats/route'),
    run: await import('@/app/api/chats/[id]/run/route'),
  };
}

const send = (routes: Routes, chatId: string, text: string) =>
  routes.messages.POST(
    jsonRequest(`/api/chats/${chatId}/messages`, { ...userMessage(text), model: 'test:paced-3-1' }),
    params({ id: chatId }),
  );

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('service_unavailable');
  expect(body.error.message).toMatch(/temporarily unavailable/);
  // Nothing about the server's insides.
  expect(body.error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres|redis/i);
}

afterAll(async () => {
  await (await import('@/lib/store')).closeStore();
  await runLogHolder.__maestroRunLog?.close().catch(() => undefined);
  delete runLogHolder.__maestroRunLog;
  await workingDatabase.drop();
});

describe('a backing service down at request time', () => {
  it('Postgres down: 503 service_unavailable on every route, then normal once it is back', async () => {
    const down = await boot({ DATABASE_URL: closedDatabaseUrl });
    await expectUnavailable(await down.chats.GET(plainRequest('/api/chats')));
    await expectUnavailable(await down.chat.GET(plainRequest('/api/chats/pg-chat'), params({ id: 'pg-chat' })));
    await expectUnavailable(await down.run.GET(plainRequest('/api/chats/pg-chat/run'), params({ id: 'pg-chat' })));
    await expectUnavailable(await send(down, 'pg-chat', 'Hello while down'));

    const up = await boot({ DATABASE_URL: workingDatabase.url });
    const response = await send(up, 'pg-chat', 'Hello again');
    expect(response.status).toBe(200);
    expect(parseChunks(await response.text()).done).toBe(true);
    const view = (await (await up.chat.GET(plainRequest('/api/chats/pg-chat'), params({ id: 'pg-chat' }))).json()) as {
      messages: Array<{ role: string }>;
      activeRun: unknown;
    };
    // Only what was sent while the database was up.
    expect(view.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(view.activeRun).toBeNull();
  }, 40_000);

  it('Redis down: 503 service_unavailable when a run cannot start, no run left behind, then normal once it is back', async () => {
    const down = await boot({ REDIS_URL: closedRedisUrl });
    const startedAt = performance.now();
    await expectUnavailable(await send(down, 'redis-chat', 'Hello while down'));
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    const store = await (await import('@/lib/store')).getStore();
    expect(await store.getActiveRun('redis-chat')).toBeNull();
    expect(await store.listMessages('redis-chat')).toEqual([]);

    const up = await boot({ REDIS_URL: redisUrl });
    const response = await send(up, 'redis-chat', 'Hello again');
    expect(response.status).toBe(200);
    expect(parseChunks(await response.text()).done).toBe(true);
    const run = (await (await up.run.GET(plainRequest('/api/chats/redis-chat/run'), params({ id: 'redis-chat' }))).json()) as {
      run: unknown;
    };
    expect(run.run).toBeNull();
  });
});
