import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { DONE_LINE } from '@/lib/wire';
import { textOfStream } from '@/tests/helpers/sse';
import { startNextServer, untilReady, type NextServer } from '@/tests/helpers/next-server';

// A server killed with SIGKILL mid-answer (embedded mode: SQLite, the run log persisted beside it),
// then started again on the same data folder: the chat must not be stuck on a run nobody produces,
// and the answer written so far must be there, marked Interrupted, with Retry.
const PORT = Number(process.env.E2E_RESTART_PORT ?? 3311);
const BASE = `http://127.0.0.1:${PORT}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'maestro-restart-'));

let server: NextServer | undefined;

function start(): NextServer {
  // Its own process group, so that the kill reaches `next` and nothing else.
  return startNextServer(
    PORT,
    {
      MAESTRO_DATA_DIR: dataDir,
      MAESTRO_RATE_LIMIT_PER_MINUTE: '0',
      MAESTRO_OFFLINE_DELAY_MS: '20',
      AUTH_SECRET: 'restart-test-secret-0123456789abcdef0123',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    { detached: true },
  );
}

async function kill(current: NextServer, signal: NodeJS.Signals): Promise<void> {
  const pid = current.process.pid;
  if (pid === undefined || current.process.exitCode !== null || current.process.signalCode !== null) return;
  const exited = new Promise((resolve) => current.process.once('exit', resolve));
  try {
    process.kill(-pid, signal);
  } catch {
    return;
  }
  await exited;
}

/** The run rows as the store has them, read straight from the SQLite file. */
function runsOf(chatId: string): Array<{ status: string }> {
  const db = new DatabaseSync(path.join(dataDir, 'maestro.db'), { readOnly: true });
  try {
    return db.prepare('SELECT status FROM runs WHERE chat_id = ?').all(chatId) as Array<{ status: string }>;
  } finally {
    db.close();
  }
}

test.afterAll(async () => {
  if (server) await kill(server, 'SIGKILL');
});

test('a server killed mid-answer: after the restart the partial answer is saved and shown as Interrupted, and the chat takes new messages', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  server = start();
  await untilReady(server);

  // The identity cookie the first page gives, reused for every request (AUTH_SECRET is fixed).
  const first = await fetch(`${BASE}/`);
  const cookie = first.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  expect(cookie).toContain('=');
  const headers = { cookie, 'content-type': 'application/json' };
  const chatId = `restart-${Date.now().toString(36)}`;
  const send = (text: string) =>
    fetch(`${BASE}/api/chats/${chatId}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ message: { role: 'user', parts: [{ type: 'text', text }] } }),
    });

  // A long answer (the offline model at 20 ms a word), cut off by SIGKILL after a few words.
  const response = await send('Explain how Maestro streams answers.');
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  while ((seen.match(/"type":"text-delta"/g) ?? []).length < 5) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the answer ended before the kill:\n${seen}`);
    seen += decoder.decode(value, { stream: true });
  }
  expect(runsOf(chatId)).toEqual([{ status: 'running' }]);
  await kill(server, 'SIGKILL');
  await reader.cancel().catch(() => undefined);

  // Same data folder. Startup (instrumentation) ends the abandoned run before any chat is opened.
  server = start();
  await untilReady(server);
  await expect.poll(() => runsOf(chatId).map((run) => run.status), { timeout: 10_000 }).toEqual(['interrupted']);

  const view = (await (await fetch(`${BASE}/api/chats/${chatId}`, { headers: { cookie } })).json()) as {
    activeRun: unknown;
    messages: Array<{ role: string; parts: Array<{ type: string; text?: string }>; metadata?: { outcome?: string } }>;
  };
  expect(view.activeRun).toBeNull();
  expect(view.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
  const [, answer] = view.messages;
  expect(answer?.metadata?.outcome).toBe('interrupted');
  // What the client had received before the kill was saved, but for at most the last frame (the
  // log reaches the disk a moment after its followers), and maybe a little more.
  const streamed = textOfStream(seen);
  const lastFrame = seen.lastIndexOf('data: ', seen.lastIndexOf('"type":"text-delta"'));
  const streamedButLast = textOfStream(seen.slice(0, lastFrame));
  const saved = answer?.parts.flatMap((part) => (part.type === 'text' ? [part.text ?? ''] : [])).join('') ?? '';
  expect(streamedButLast.length).toBeGreaterThan(0);
  expect(saved.startsWith(streamedButLast)).toBe(true);
  expect(streamed.startsWith(saved) || saved.startsWith(streamed)).toBe(true);

  // The page shows it: the partial answer, marked Interrupted, with Retry.
  const context = await browser.newContext();
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: BASE }]);
  const page = await context.newPage();
  await page.goto(`${BASE}/chat/${chatId}`);
  const shown = page.getByRole('article', { name: 'Assistant message' });
  await expect(shown.getByTestId('outcome-marker')).toHaveText('Interrupted');
  // The answer's first line (a heading), as the page renders it.
  const firstLine = streamed
    .trim()
    .split('\n')[0]!
    .replace(/^#+\s*/, '');
  await expect(shown.getByTestId('assistant-text')).toContainText(firstLine);
  await expect(shown.getByRole('button', { name: /Retry/ })).toBeVisible();
  await context.close();

  // A follower finds nothing left to follow.
  const follow = await fetch(`${BASE}/api/chats/${chatId}/stream`, { headers: { cookie } });
  expect(follow.status).toBe(204);

  // And the chat takes a new message, answered to the end.
  const again = await send('What is 2 + 2?');
  expect(again.status).toBe(200);
  const body = await again.text();
  expect(body).toContain(DONE_LINE);
  expect(body).toContain('"phase":"done"');
  expect(
    runsOf(chatId)
      .map((run) => run.status)
      .sort(),
  ).toEqual(['complete', 'interrupted']);
});
