import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonRequest, params, userMessage } from '@/tests/helpers/requests';
import { parseChunks } from '@/tests/helpers/sse';

process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-endings-'));
process.env.MAESTRO_RUN_TIMEOUT_MS = '1000';

/** A provider that streams a word every 40 ms for as long as it is allowed to, and stops when aborted. */
function slowWords(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doStream: async ({ abortSignal }) => {
      let word = 0;
      let timer: ReturnType<typeof setInterval> | undefined;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 't' });
          timer = setInterval(() => controller.enqueue({ type: 'text-delta', id: 't', delta: `word${word++} ` }), 40);
          abortSignal?.addEventListener('abort', () => {
            clearInterval(timer);
            controller.error(abortSignal.reason);
          });
        },
        cancel() {
          clearInterval(timer);
        },
      });
      return { stream };
    },
  });
}

vi.mock('@/lib/models/registry', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/models/registry')>();
  return {
    ...actual,
    resolveModel: (id: string) => ({ info: { id, label: 'slow', provider: 'offline' as const, available: true }, model: slowWords() }),
  };
});

let messages: typeof import('@/app/api/chats/[id]/messages/route');
let chat: typeof import('@/app/api/chats/[id]/route');
beforeAll(async () => {
  messages = await import('@/app/api/chats/[id]/messages/route');
  chat = await import('@/app/api/chats/[id]/route');
});

type SavedMessage = { role: string; parts: Array<{ type: string; text?: string }>; metadata?: { outcome?: string } };

async function savedAnswer(chatId: string): Promise<SavedMessage | undefined> {
  const response = await chat.GET(new Request(`http://localhost/api/chats/${chatId}`), params({ id: chatId }));
  const body = (await response.json()) as { messages: SavedMessage[] };
  return body.messages.find((m) => m.role === 'assistant');
}

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('how a run ends', () => {
  it('stops when the client goes away and saves the partial answer as stopped', async () => {
    const controller = new AbortController();
    const request = new Request(jsonRequest('/api/chats/stop-chat/messages', userMessage('Tell me a story')), { signal: controller.signal });
    const response = await messages.POST(request, params({ id: 'stop-chat' }));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('word2')) received += decoder.decode((await reader.read()).value);
    controller.abort();
    await reader.cancel();

    const answer = await waitFor(() => savedAnswer('stop-chat'));
    expect(answer.metadata?.outcome).toBe('stopped');
    const text = answer.parts.filter((p) => p.type === 'text').map((p) => p.text).join('');
    expect(text).toMatch(/^word0 word1 word2 /);
    // The model call was aborted: nothing more is written after the stop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await savedAnswer('stop-chat')).toEqual(answer);
  });

  it('ends a run that exceeds the time limit with status error and saves it as an error', async () => {
    const started = Date.now();
    const response = await messages.POST(jsonRequest('/api/chats/slow-chat/messages', userMessage('Never stop')), params({ id: 'slow-chat' }));
    const { chunks, done } = parseChunks(await response.text());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(done).toBe(true);
    const statuses = chunks.filter((c) => c.type === 'data-status').map((c) => (c.data as { phase: string }).phase);
    expect(statuses.at(-1)).toBe('error');
    expect(statuses).not.toContain('done');
    expect(chunks.find((c) => c.type === 'error')?.errorText).toBe('The answer took longer than the time limit (1 s).');

    const answer = await waitFor(() => savedAnswer('slow-chat'));
    expect(answer.metadata?.outcome).toBe('error');
    expect(answer.parts.filter((p) => p.type === 'text').map((p) => p.text).join('')).toMatch(/^word0 /);
  });
});
