import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { parseChunks, textOfStream } from '@/tests/helpers/sse';
import { startNextServer, untilReady, type NextServer } from '@/tests/helpers/next-server';

// Two `next start` instances sharing Redis (run log) and Postgres (store), as a scaled-out
// deployment runs: a run started on one is followed and stopped from the other.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `maestro_two_${Date.now().toString(36)}`;
const databaseUrl = (() => {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
})();

const instances: NextServer[] = [];

function startInstance(port: number): NextServer {
  const instance = startNextServer(port, {
    REDIS_URL,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: 'two-instances-test-secret-0123456789abcdef',
    MAESTRO_DATA_DIR: mkdtempSync(path.join(tmpdir(), `maestro-instance-${port}-`)),
    MAESTRO_OFFLINE_DELAY_MS: '20',
    MAESTRO_RUN_LEASE_MS: '2000',
    MAESTRO_RATE_LIMIT_PER_MINUTE: '0',
  });
  instances.push(instance);
  return instance;
}

/** Reads an SSE response, calling `onText` with everything received so far, until it ends. */
async function readSse(response: Response, onText?: (text: string) => Promise<void> | void): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    await onText?.(text);
  }
  return text;
}

function phases(sse: string): string[] {
  return parseChunks(sse)
    .chunks.filter((chunk) => chunk.type === 'data-status')
    .map((chunk) => (chunk.data as { phase: string }).phase);
}

let cookie = '';
let a: NextServer;
let b: NextServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  a = startInstance(3101);
  b = startInstance(3102);
  await Promise.all([untilReady(a), untilReady(b)]);
  // The identity a page gives.
  const first = await fetch(`${a.url}/`);
  cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^maestro_id=/);
});

test.afterAll(async () => {
  for (const instance of instances) instance.process.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

const post = (instance: NextServer, chatId: string, text: string) =>
  fetch(`${instance.url}/api/chats/${chatId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ message: { role: 'user', parts: [{ type: 'text', text }] } }),
  });

test('a run sent on one instance is followed live on the other, and both see the saved answer', async () => {
  const started = await post(a, 'two-follow', 'Explain how Maestro streams answers.');
  expect(started.status).toBe(200);
  const onA = readSse(started);
  await expect
    .poll(async () => (await fetch(`${b.url}/api/chats/two-follow/run`, { headers: { cookie } })).json())
    .toMatchObject({
      run: { id: expect.any(String) },
    });
  const follower = await fetch(`${b.url}/api/chats/two-follow/stream`, { headers: { cookie } });
  expect(follower.status).toBe(200);
  const [textA, textB] = await Promise.all([onA, readSse(follower)]);
  const saved = (await (await fetch(`${b.url}/api/chats/two-follow`, { headers: { cookie } })).json()) as {
    messages: Array<{ role: string; parts: Array<{ type: string; text?: string }>; metadata?: { outcome?: string } }>;
  };
  const answer = saved.messages.find((m) => m.role === 'assistant');
  const savedText = (answer?.parts ?? [])
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('');
  expect(savedText.length).toBeGreaterThan(500);
  expect(textOfStream(textA)).toBe(savedText);
  expect(textOfStream(textB)).toBe(savedText);
  expect(answer?.metadata?.outcome).toBe('complete');
});

test('a stop sent to the other instance ends the run quickly, saved as stopped', async () => {
  const started = await post(a, 'two-stop', 'Explain how Maestro streams answers.');
  let stopSentAt = 0;
  let stopped = false;
  const textA = await readSse(started, async (text) => {
    if (stopped || textOfStream(text).split(' ').length < 10) return;
    stopped = true;
    stopSentAt = performance.now();
    const answer = await fetch(`${b.url}/api/chats/two-stop/stop`, { method: 'POST', headers: { cookie } });
    expect(await answer.json()).toMatchObject({ stopped: true });
  });
  const stopMs = performance.now() - stopSentAt;
  console.log(`stop across instances: stream ended ${stopMs.toFixed(0)} ms after the stop was sent`);
  expect(stopMs).toBeLessThan(1_000);
  expect(phases(textA).at(-1)).toBe('stopped');
  const saved = (await (await fetch(`${a.url}/api/chats/two-stop`, { headers: { cookie } })).json()) as {
    messages: Array<{ role: string; parts: Array<{ type: string; text?: string }>; metadata?: { outcome?: string } }>;
  };
  const answer = saved.messages.find((m) => m.role === 'assistant');
  expect(answer?.metadata?.outcome).toBe('stopped');
  expect(
    (answer?.parts ?? [])
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join(''),
  ).toBe(textOfStream(textA));
});

test('when the instance running a run dies, its followers get interrupted and the chat is usable again', async () => {
  const c = startInstance(3103);
  await untilReady(c);
  const started = await post(c, 'two-crash', 'Explain how Maestro streams answers.');
  const onC = readSse(started).catch(() => '');
  await expect
    .poll(async () => (await fetch(`${b.url}/api/chats/two-crash/run`, { headers: { cookie } })).json())
    .toMatchObject({
      run: { id: expect.any(String) },
    });
  const follower = await fetch(`${b.url}/api/chats/two-crash/stream`, { headers: { cookie } });
  let killed = false;
  const textB = await readSse(follower, (text) => {
    if (!killed && textOfStream(text).length > 50) {
      killed = true;
      c.process.kill('SIGKILL');
    }
  });
  await onC;
  expect(killed).toBe(true);
  expect(phases(textB).at(-1)).toBe('interrupted');
  expect(textB.trimEnd().endsWith('data: [DONE]')).toBe(true);

  const saved = (await (await fetch(`${b.url}/api/chats/two-crash`, { headers: { cookie } })).json()) as {
    messages: Array<{ role: string; metadata?: { outcome?: string } }>;
    activeRun: unknown;
  };
  expect(saved.activeRun).toBeNull();
  expect(saved.messages.find((m) => m.role === 'assistant')?.metadata?.outcome).toBe('interrupted');
  const again = await post(b, 'two-crash', 'What is 2 + 2?');
  expect(again.status).toBe(200);
  expect(textOfStream(await readSse(again))).toContain('4');
});
