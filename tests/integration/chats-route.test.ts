import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { loadRoutes, type Routes } from '@/tests/helpers/routes';

process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-chats-route-'));
process.env.MAESTRO_OFFLINE_DELAY_MS = '0';

let routes: Routes;

type ChatJson = { id: string; title: string; createdAt: string; updatedAt: string; snippet?: string | null };

/** Asks a question in a new chat of `identity` and waits for the whole answer. */
async function chatAbout(chatId: string, question: string, identity = 'test-user'): Promise<void> {
  const response = await routes.messages.POST(
    jsonRequest(`/api/chats/${chatId}/messages`, userMessage(question), { identity }),
    params({ id: chatId }),
  );
  expect(response.status).toBe(200);
  await response.text();
}

function rename(chatId: string, body: unknown, init: { identity?: string; headers?: Record<string, string> } = {}) {
  return routes.chat.PATCH(jsonRequest(`/api/chats/${chatId}`, body, { method: 'PATCH', ...init }), params({ id: chatId }));
}

async function list(query?: string, identity?: string): Promise<{ status: number; chats: ChatJson[] }> {
  const url = query === undefined ? '/api/chats' : `/api/chats?q=${encodeURIComponent(query)}`;
  const response = await routes.chats.GET(plainRequest(url, { identity }));
  const body = (await response.json()) as { chats: ChatJson[] };
  return { status: response.status, chats: body.chats };
}

function exportChat(chatId: string, format?: string, identity?: string) {
  const query = format === undefined ? '' : `?format=${format}`;
  return routes.exportChat.GET(plainRequest(`/api/chats/${chatId}/export${query}`, { identity }), params({ id: chatId }));
}

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message).toEqual(expect.any(String));
  return { status: response.status, code: body.error.code };
}

beforeAll(async () => {
  routes = await loadRoutes();
  await chatAbout('calc-chat', 'What is 17 * 23?');
  await chatAbout('tokyo-chat', 'What time is it in Tokyo?');
  await chatAbout('strangers-chat', 'What is 17 * 23?', 'stranger');
  await chatAbout('zebra-chat', 'Zebra crossings, please');
});

afterAll(async () => {
  const { closeStore } = await import('@/lib/store');
  await closeStore();
});

describe('PATCH /api/chats/{id}', () => {
  it('renames the chat (one line, trimmed) and answers it; the list and the chat show the new title', async () => {
    const response = await rename('tokyo-chat', { title: '  Time\n in   Tokyo  ' });
    expect(response.status).toBe(200);
    const { chat } = (await response.json()) as { chat: ChatJson };
    expect(chat).toStrictEqual({ id: 'tokyo-chat', title: 'Time in Tokyo', createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect((await list()).chats.find((c) => c.id === 'tokyo-chat')?.title).toBe('Time in Tokyo');
    const view = (await (await routes.chat.GET(plainRequest('/api/chats/tokyo-chat'), params({ id: 'tokyo-chat' }))).json()) as {
      chat: ChatJson;
    };
    expect(view.chat.title).toBe('Time in Tokyo');
    // 100 characters is the most.
    expect((await rename('tokyo-chat', { title: 'x'.repeat(100) })).status).toBe(200);
    expect((await rename('tokyo-chat', { title: 'Time in Tokyo' })).status).toBe(200);
  });

  it('answers 400 for a title that is blank, too long or missing, and changes nothing', async () => {
    for (const body of [
      { title: '' },
      { title: ' \n\t ' },
      { title: 'x'.repeat(101) },
      {},
      { title: 7 },
      { title: 'Fine', extra: true },
      [],
    ]) {
      expect(await errorOf(await rename('calc-chat', body)), JSON.stringify(body)).toEqual({ status: 400, code: 'invalid_body' });
    }
    expect(await errorOf(await rename('calc-chat', '{"title":'))).toEqual({ status: 400, code: 'invalid_json' });
    expect(await errorOf(await rename('bad id!', { title: 'Fine' }))).toEqual({ status: 400, code: 'invalid_chat_id' });
    expect((await list()).chats.find((c) => c.id === 'calc-chat')?.title).toBe('What is 17 * 23?');
  });

  it("answers 404 for another identity's chat and for an unknown one, 403 from another site, 415 without JSON", async () => {
    expect(await errorOf(await rename('strangers-chat', { title: 'Mine now' }))).toEqual({ status: 404, code: 'chat_not_found' });
    expect(await errorOf(await rename('no-such-chat', { title: 'Mine now' }))).toEqual({ status: 404, code: 'chat_not_found' });
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    expect(await errorOf(await rename('calc-chat', { title: 'Forged' }, { headers: crossSite }))).toEqual({
      status: 403,
      code: 'cross_site',
    });
    expect(await errorOf(await rename('calc-chat', { title: 'Plain' }, { headers: { 'content-type': 'text/plain' } }))).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
    expect((await list(undefined, 'stranger')).chats.map((c) => c.title)).toEqual(['What is 17 * 23?']);
    expect((await list()).chats.find((c) => c.id === 'calc-chat')?.title).toBe('What is 17 * 23?');
  });
});

describe('GET /api/chats?q=', () => {
  it('finds a chat by a word of its answer, with a snippet of the text that matched', async () => {
    const { status, chats } = await list('391');
    expect(status).toBe(200);
    expect(chats).toHaveLength(1);
    expect(chats[0]).toMatchObject({ id: 'calc-chat', title: 'What is 17 * 23?' });
    expect(chats[0]?.snippet).toContain('391');
  });

  it('finds a chat by its title, with no snippet when no message matched', async () => {
    expect((await rename('tokyo-chat', { title: 'Clocks of Japan' })).status).toBe(200);
    const { chats } = await list('clocks JAPAN');
    expect(chats.map((c) => [c.id, c.snippet])).toEqual([['tokyo-chat', null]]);
  });

  it('gives no snippet when the text that matched is the title (the question it was made from)', async () => {
    expect((await list('zebra')).chats.map((c) => [c.id, c.snippet])).toEqual([['zebra-chat', null]]);
    expect((await rename('zebra-chat', { title: 'Stripes' })).status).toBe(200);
    expect((await list('zebra')).chats.map((c) => [c.id, c.snippet])).toEqual([['zebra-chat', 'Zebra crossings, please']]);
  });

  it("never finds another identity's chats, nor JSON keys of the stored parts", async () => {
    expect((await list('391', 'stranger')).chats.map((c) => c.id)).toEqual(['strangers-chat']);
    expect((await list('tokyo', 'stranger')).chats).toEqual([]);
    expect((await list('toolCallId')).chats).toEqual([]);
    expect((await list('"type"')).chats).toEqual([]);
  });

  it('lists every chat for a blank query, and answers 400 for one over 200 characters', async () => {
    expect((await list('   ')).chats.map((c) => c.id).sort()).toEqual(['calc-chat', 'tokyo-chat', 'zebra-chat']);
    const response = await routes.chats.GET(plainRequest(`/api/chats?q=${'a'.repeat(201)}`));
    expect(await errorOf(response)).toEqual({ status: 400, code: 'invalid_query' });
  });
});

describe('GET /api/chats/{id}/export', () => {
  it('exports Markdown by default, as an attachment named after the title', async () => {
    const response = await exportChat('calc-chat');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="what-is-17-23.md"; filename*=UTF-8''What%20is%2017%2023.md`,
    );
    const markdown = await response.text();
    expect(markdown.startsWith('# What is 17 * 23?\n')).toBe(true);
    expect(markdown).toContain('## User\n\nWhat is 17 * 23?');
    expect(markdown).toMatch(
      /## Assistant · offline:maestro\n\n\*\*Tool call: `calculator`\*\*\n\nInput:\n\n```json\n\{\n {2}"expression": "17 \* 23"/,
    );
    expect(markdown).toMatch(/Output:\n\n```json\n[^`]*391/);
    expect((await exportChat('calc-chat', 'md')).status).toBe(200);
  });

  it('exports JSON: the chat and its messages', async () => {
    const response = await exportChat('calc-chat', 'json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="what-is-17-23\.json"/);
    const body = (await response.json()) as { chat: ChatJson; messages: Array<{ role: string }> };
    expect(body.chat).toMatchObject({ id: 'calc-chat', title: 'What is 17 * 23?' });
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it("answers 404 for another identity's chat or an unknown one, 400 for an unknown format", async () => {
    expect(await errorOf(await exportChat('calc-chat', 'md', 'stranger'))).toEqual({ status: 404, code: 'chat_not_found' });
    expect(await errorOf(await exportChat('calc-chat', 'json', 'stranger'))).toEqual({ status: 404, code: 'chat_not_found' });
    expect(await errorOf(await exportChat('no-such-chat'))).toEqual({ status: 404, code: 'chat_not_found' });
    expect(await errorOf(await exportChat('calc-chat', 'pdf'))).toEqual({ status: 400, code: 'invalid_format' });
  });
});

describe('a chat page load', () => {
  /** How many times `load` reads a chat row from the store (the reads still reach the store). */
  async function chatReadsOf(load: () => Promise<unknown>): Promise<number> {
    const { getStore } = await import('@/lib/store');
    const reads = vi.spyOn(await getStore(), 'getChat');
    try {
      await load();
      return reads.mock.calls.length;
    } finally {
      reads.mockRestore();
    }
  }

  it('reads the chat row once, for the page and for GET /api/chats/{id}', async () => {
    const { chatPageData } = await import('@/lib/chats/view');
    expect(await chatReadsOf(async () => expect((await chatPageData('calc-chat', 'test-user'))?.messages.length).toBeGreaterThan(0))).toBe(
      1,
    );
    const get = async () =>
      expect((await routes.chat.GET(plainRequest('/api/chats/calc-chat'), params({ id: 'calc-chat' }))).status).toBe(200);
    expect(await chatReadsOf(get)).toBe(1);
  });
});
