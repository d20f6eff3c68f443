import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeChunk, parseChunks, type Chunk } from '@/tests/helpers/sse';
import { jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { loadRoutes, type Routes } from '@/tests/helpers/routes';

process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-route-'));
process.env.MAESTRO_OFFLINE_DELAY_MS = '0';

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 4, text: 4, reasoning: undefined },
};

/** A provider that streams a few words and then fails. */
const failingMidStream = () =>
  new MockLanguageModelV4({
    doStream: async () => ({
      stream: simulateReadableStream({
        chunkDelayInMs: null,
        chunks: [
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't1' },
          { type: 'text-delta', id: 't1', delta: 'Partial ' },
          { type: 'text-delta', id: 't1', delta: 'answer ' },
          { type: 'error', error: new Error('upstream exploded: secret-request-body') },
          { type: 'finish', finishReason: { unified: 'error', raw: 'error' }, usage },
        ],
      }),
    }),
  });

vi.mock('@/lib/models/registry', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/models/registry')>();
  return {
    ...actual,
    resolveModel: (id: string, config?: Parameters<typeof actual.resolveModel>[1]) =>
      id === 'offline:failing'
        ? { info: { id, label: 'failing', provider: 'offline' as const, available: true }, model: failingMidStream() }
        : actual.resolveModel(id, config),
  };
});

let routes: Routes;
beforeAll(async () => {
  routes = await loadRoutes();
});

async function post(chatId: string, body: unknown, headers?: Record<string, string>) {
  return routes.messages.POST(jsonRequest(`/api/chats/${chatId}/messages`, body, { headers }), params({ id: chatId }));
}

async function getChat(chatId: string) {
  const response = await routes.chat.GET(plainRequest(`/api/chats/${chatId}`), params({ id: chatId }));
  return {
    status: response.status,
    body: (await response.json()) as { messages: Array<{ role: string; parts: Chunk[]; metadata?: Record<string, unknown> }> },
  };
}

function indexOf(chunks: Chunk[], predicate: (chunk: Chunk) => boolean, from = 0): number {
  const index = chunks.findIndex((chunk, i) => i >= from && predicate(chunk));
  expect(index, `expected a chunk after position ${from}`).toBeGreaterThanOrEqual(from);
  return index;
}

describe('POST /api/chats/{id}/messages', () => {
  it('streams the calculator answer with status, tool events and text, in order, then saves the chat', async () => {
    const response = await post('calc-chat', userMessage('What is 17 * 23?', 'user-msg-1'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');

    const { chunks, done } = parseChunks(await response.text());
    expect(done).toBe(true);
    const thinking = indexOf(chunks, (c) => describeChunk(c) === 'status:thinking');
    const toolStart = indexOf(chunks, (c) => describeChunk(c) === 'tool-input-start:calculator', thinking);
    const toolStatus = indexOf(chunks, (c) => describeChunk(c) === 'status:tool', toolStart);
    expect((chunks[toolStatus]?.data as { label: string }).label).toBe('Using tool: calculator…');
    const toolOutput = indexOf(chunks, (c) => c.type === 'tool-output-available' && JSON.stringify(c.output).includes('391'), toolStart);
    const firstDelta = indexOf(chunks, (c) => c.type === 'text-delta', toolOutput);
    const deltas = chunks.slice(firstDelta).filter((c) => c.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((c) => c.delta).join('')).toContain('391');
    const statusDone = indexOf(chunks, (c) => describeChunk(c) === 'status:done', firstDelta);
    const finish = indexOf(chunks, (c) => c.type === 'finish', statusDone);
    expect(finish).toBe(chunks.length - 1);

    // The phases come in the documented order, each status transient.
    const phases = chunks.filter((c) => c.type === 'data-status').map((c) => (c.data as { phase: string }).phase);
    expect(phases).toEqual(['thinking', 'tool', 'thinking', 'responding', 'done']);
    expect(chunks.filter((c) => c.type === 'data-status').every((c) => c.transient === true)).toBe(true);

    const saved = await getChat('calc-chat');
    expect(saved.status).toBe(200);
    expect(saved.body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const answer = saved.body.messages[1]!;
    expect(answer.parts.some((p) => p.type === 'tool-calculator' && p.state === 'output-available')).toBe(true);
    const text = answer.parts
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join('');
    expect(text).toBe(deltas.map((c) => c.delta).join(''));
    expect(answer.metadata).toMatchObject({ model: 'offline:maestro', outcome: 'complete' });
    expect(answer.metadata?.ttftMs).toEqual(expect.any(Number));
    expect((answer.metadata?.usage as { outputTokens: number }).outputTokens).toBeGreaterThan(0);
    expect(Object.keys(answer.metadata?.toolDurationsMs as object)).toHaveLength(1);
    expect(answer.parts.some((p) => p.type === 'data-status')).toBe(false);
  });

  it("streams the model's reasoning before each step's action and saves how long each part took", async () => {
    const response = await post('reasoning-chat', userMessage('What is 17 * 23?'));
    const { chunks } = parseChunks(await response.text());
    const firstReasoning = indexOf(chunks, (c) => c.type === 'reasoning-start');
    const firstEnd = indexOf(chunks, (c) => c.type === 'reasoning-end', firstReasoning);
    // The duration of a part goes out as soon as it ends, so a live page can say "Thought for …" at once.
    const liveDuration = indexOf(chunks, (c) => c.type === 'message-metadata', firstEnd);
    expect((chunks[liveDuration]?.messageMetadata as { reasoningMs?: unknown }).reasoningMs).toEqual([expect.any(Number)]);
    expect(liveDuration).toBeLessThan(indexOf(chunks, (c) => c.type === 'tool-input-start'));
    // The first token the reader sees is the reasoning's: that is when the answer started.
    const firstToken = indexOf(chunks, (c) => c.type === 'message-metadata' && 'ttftMs' in (c.messageMetadata as object));
    expect(firstToken).toBeLessThan(firstEnd);

    const answer = (await getChat('reasoning-chat')).body.messages[1]!;
    const reasoning = answer.parts.filter((p) => p.type === 'reasoning');
    expect(reasoning.map((p) => p.text)).toEqual([
      expect.stringContaining('calculator tool'),
      expect.stringContaining('answer from it directly'),
    ]);
    expect(answer.metadata?.reasoningMs).toEqual([expect.any(Number), expect.any(Number)]);
    const { ttftMs, durationMs } = answer.metadata as { ttftMs: number; durationMs: number };
    expect(ttftMs).toBeLessThanOrEqual(durationMs);
  });

  it("sends a tool's error back to the model, which answers, and keeps it on the tool part", async () => {
    const response = await post('tool-error-chat', userMessage('Read no-such-file.md'));
    const { chunks } = parseChunks(await response.text());
    const toolError = indexOf(chunks, (c) => c.type === 'tool-output-error');
    expect(String(chunks[toolError]?.errorText)).toContain('no-such-file.md');
    const answerDelta = indexOf(chunks, (c) => c.type === 'text-delta', toolError);
    indexOf(chunks, (c) => describeChunk(c) === 'status:done', answerDelta);

    const answer = (await getChat('tool-error-chat')).body.messages[1]!;
    expect(answer.parts.some((p) => p.type === 'tool-read_file' && p.state === 'output-error')).toBe(true);
    expect(answer.metadata?.outcome).toBe('complete');
  });

  it('keeps the history on the server and retries from a message id that already exists', async () => {
    await (await post('history-chat', userMessage('What is 2 + 2?', 'q1'))).text();
    await (await post('history-chat', userMessage('What is 3 * 3?', 'q2'))).text();
    expect((await getChat('history-chat')).body.messages).toHaveLength(4);
    // Sending q2 again replaces its answer rather than adding to the chat.
    await (await post('history-chat', userMessage('What is 3 * 3?', 'q2'))).text();
    const { messages } = (await getChat('history-chat')).body;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('ends a provider failure mid-stream with an error part and status error, and saves the partial answer', async () => {
    const response = await post('failing-chat', { ...userMessage('Hello there'), model: 'offline:failing' });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).not.toContain('secret-request-body');
    const { chunks, done } = parseChunks(body);
    expect(done).toBe(true);
    const error = indexOf(chunks, (c) => c.type === 'error');
    expect(chunks[error]?.errorText).toBe('The model failed to answer.');
    indexOf(chunks, (c) => describeChunk(c) === 'status:error', error);
    expect(chunks.some((c) => describeChunk(c) === 'status:done')).toBe(false);

    const { messages } = (await getChat('failing-chat')).body;
    const answer = messages.at(-1)!;
    expect(answer.role).toBe('assistant');
    expect(answer.metadata?.outcome).toBe('error');
    expect(
      answer.parts
        .filter((p) => p.type === 'text')
        .map((p) => p.text)
        .join(''),
    ).toBe('Partial answer ');
  });

  it('answers bad requests with 4xx JSON errors and writes nothing', async () => {
    const cases: Array<{ body: unknown; status: number; code: string; headers?: Record<string, string> }> = [
      { body: '{"message": ', status: 400, code: 'invalid_json' },
      { body: {}, status: 400, code: 'invalid_body' },
      { body: { message: { role: 'assistant', parts: [{ type: 'text', text: 'hi' }] } }, status: 400, code: 'invalid_body' },
      { body: { message: { role: 'user', parts: [] } }, status: 400, code: 'invalid_body' },
      { body: { message: { role: 'user', parts: [{ type: 'text', text: 42 }] } }, status: 400, code: 'invalid_body' },
      { body: { message: { id: '../x', role: 'user', parts: [{ type: 'text', text: 'hi' }] } }, status: 400, code: 'invalid_body' },
      { body: userMessage('   '), status: 400, code: 'empty_message' },
      { body: userMessage('x'.repeat(20_000)), status: 400, code: 'message_too_long' },
      { body: { ...userMessage('hi'), model: 'nope:model' }, status: 400, code: 'unknown_model' },
      { body: { ...userMessage('hi'), model: 'google:gemini-2.5-flash' }, status: 400, code: 'model_unavailable' },
      { body: userMessage('hi'), status: 415, code: 'unsupported_media_type', headers: { 'content-type': 'text/plain' } },
      { body: userMessage('x'.repeat(100_000)), status: 413, code: 'body_too_large' },
    ];
    for (const { body, status, code, headers } of cases) {
      const response = await post('bad-input-chat', body, headers);
      expect({ status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code }).toEqual({
        status,
        code,
      });
    }
    const badId = await routes.messages.POST(jsonRequest('/api/chats/a%20b/messages', userMessage('hi')), params({ id: 'a b' }));
    expect(badId.status).toBe(400);
    expect((await getChat('bad-input-chat')).status).toBe(404);
  });
});

describe('chat and model routes', () => {
  it('lists chats newest first, and deletes one', async () => {
    await (await post('older-chat', userMessage('What is 1 + 1?'))).text();
    await (await post('newer-chat', userMessage('What time is it in Tokyo?'))).text();
    const list = (await (await routes.chats.GET(plainRequest('/api/chats'))).json()) as { chats: Array<{ id: string; title: string }> };
    const ids = list.chats.map((c) => c.id);
    expect(ids.indexOf('newer-chat')).toBeLessThan(ids.indexOf('older-chat'));
    expect(list.chats.find((c) => c.id === 'newer-chat')?.title).toBe('What time is it in Tokyo?');

    const deleted = await routes.chat.DELETE(plainRequest('/api/chats/older-chat', { method: 'DELETE' }), params({ id: 'older-chat' }));
    expect(deleted.status).toBe(200);
    expect((await getChat('older-chat')).status).toBe(404);
    const again = await routes.chat.DELETE(plainRequest('/api/chats/older-chat', { method: 'DELETE' }), params({ id: 'older-chat' }));
    expect(again.status).toBe(404);
  });

  it('lists the models with the offline model as the default without keys', async () => {
    const body = (await (await routes.models.GET()).json()) as { models: Array<{ id: string; available: boolean }>; default: string };
    expect(body.default).toBe('offline:maestro');
    expect(body.models.find((m) => m.id === 'offline:maestro')?.available).toBe(true);
    expect(body.models.find((m) => m.id === 'google:gemini-2.5-flash')?.available).toBe(false);
  });
});
