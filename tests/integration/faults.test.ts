import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { APICallError, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DONE_DATA, KEEP_ALIVE_COMMENT, KEEP_ALIVE_HEADER, LAST_EVENT_ID_HEADER, RUN_ID_HEADER, sseFrame } from '@/lib/wire';
import { jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { describeChunk, parseChunks, textOfChunks, type Chunk } from '@/tests/helpers/sse';

process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-faults-'));
process.env.MAESTRO_RATE_LIMIT_PER_MINUTE = '0';
process.env.MAESTRO_CHUNK_TIMEOUT_MS = '400';
process.env.MAESTRO_TOOL_TIMEOUT_MS = '200';
process.env.MAESTRO_MODEL_RETRIES = '2';
process.env.MAESTRO_MAX_OUTPUT_TOKENS = '321';
process.env.MAESTRO_KEEPALIVE_MS = '100';
process.env.MAESTRO_RUN_TIMEOUT_MS = '10000';
process.env.MAESTRO_RUN_LEASE_MS = '1000';
// The misbehaving tools below have no default policy (a tool without one waits for approval): they run at once.
process.env.MAESTRO_TOOL_APPROVAL = '{"broken_tool":"auto","slow_tool":"auto"}';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

function providerError(statusCode: number): APICallError {
  return new APICallError({
    message: `Provider said ${statusCode}`,
    url: 'https://provider.test/v1/chat',
    requestBodyValues: {},
    statusCode,
    // The provider asks for a short wait; the retry policy follows it (tests stay fast).
    responseHeaders: { 'retry-after-ms': '20' },
    isRetryable: statusCode === 429 || statusCode >= 500,
  });
}

const textParts = (text: string): LanguageModelV4StreamPart[] => [
  { type: 'stream-start', warnings: [] },
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', delta: text },
  { type: 'text-end', id: 't' },
  { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
];

/** A stream of `parts`, then (unless `close`) nothing more: a provider that stalls. */
function streamOf(
  parts: LanguageModelV4StreamPart[],
  end: 'close' | 'stall' | Error,
  abortSignal?: AbortSignal,
): ReadableStream<LanguageModelV4StreamPart> {
  return new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      if (end === 'close') controller.close();
      // The connection breaks a moment later (an errored stream drops what it had queued).
      else if (end instanceof Error) setTimeout(() => controller.error(end), 20);
      abortSignal?.addEventListener('abort', () => controller.error(abortSignal.reason));
    },
  });
}

/** Models that fail the way providers do; each `resolveModel` makes a fresh one, kept in `made`. */
const faults = vi.hoisted(() => ({ made: new Map<string, unknown>() }));

function faultModel(id: string): MockLanguageModelV4 | undefined {
  const failing = /^test:fail-(\d+)-(\d+)$/.exec(id);
  if (failing) {
    // Fails `times` times with HTTP `status`, then answers.
    const [status, times] = [Number(failing[1]), Number(failing[2])];
    let calls = 0;
    return new MockLanguageModelV4({
      doStream: async () => {
        if (++calls <= times) throw providerError(status);
        return { stream: streamOf(textParts('Recovered.'), 'close') };
      },
    });
  }
  switch (id) {
    case 'test:mid-stream':
      return new MockLanguageModelV4({
        doStream: async () => ({
          stream: streamOf(
            [
              { type: 'stream-start', warnings: [] },
              { type: 'text-start', id: 't' },
              { type: 'text-delta', id: 't', delta: 'Partial answer ' },
            ],
            providerError(502),
          ),
        }),
      });
    case 'test:stall-first':
      return new MockLanguageModelV4({
        doStream: async ({ abortSignal }) => ({ stream: streamOf([{ type: 'stream-start', warnings: [] }], 'stall', abortSignal) }),
      });
    case 'test:stall-mid':
      return new MockLanguageModelV4({
        doStream: async ({ abortSignal }) => ({
          stream: streamOf(
            [
              { type: 'stream-start', warnings: [] },
              { type: 'text-start', id: 't' },
              { type: 'text-delta', id: 't', delta: 'So far ' },
            ],
            'stall',
            abortSignal,
          ),
        }),
      });
    case 'test:slow-words':
      // Quiet for longer than the keep-alive interval between words, but within the chunk timeout.
      return new MockLanguageModelV4({
        doStream: async () => {
          let sent = 0;
          let timer: ReturnType<typeof setInterval> | undefined;
          return {
            stream: new ReadableStream<LanguageModelV4StreamPart>({
              start(controller) {
                controller.enqueue({ type: 'stream-start', warnings: [] });
                controller.enqueue({ type: 'text-start', id: 't' });
                timer = setInterval(() => {
                  if (sent < 2) {
                    controller.enqueue({ type: 'text-delta', id: 't', delta: `w${sent++} ` });
                    return;
                  }
                  clearInterval(timer);
                  controller.enqueue({ type: 'text-end', id: 't' });
                  controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage });
                  controller.close();
                }, 250);
              },
              cancel: () => clearInterval(timer),
            }),
          };
        },
      });
    default: {
      const calling = /^test:call-(\w+)$/.exec(id);
      if (!calling) return undefined;
      // Calls the tool, then answers from whatever came back.
      let calls = 0;
      return new MockLanguageModelV4({
        doStream: async () => {
          if (++calls > 1) return { stream: streamOf(textParts('Carried on after the tool.'), 'close') };
          return {
            stream: streamOf(
              [
                { type: 'stream-start', warnings: [] },
                { type: 'tool-call', toolCallId: 'call-1', toolName: calling[1]!, input: '{}' },
                { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage },
              ],
              'close',
            ),
          };
        },
      });
    }
  }
}

vi.mock('@/lib/models/registry', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/models/registry')>();
  return {
    ...actual,
    resolveModel: (id: string, config?: Parameters<typeof actual.resolveModel>[1]) => {
      const model = faultModel(id);
      if (!model) return actual.resolveModel(id, config);
      faults.made.set(id, model);
      return { info: { id, label: id, provider: 'offline' as const, available: true }, model };
    },
  };
});

// Two tools that misbehave: one throws, one never answers (and ignores its abort signal).
vi.mock('@/lib/tools', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/tools')>();
  return {
    ...actual,
    tools: {
      ...actual.tools,
      broken_tool: tool({
        description: 'Always fails.',
        inputSchema: z.object({}),
        execute: async (): Promise<{ ok: boolean }> => {
          throw new Error('The broken tool broke.');
        },
      }),
      slow_tool: tool({
        description: 'Never finishes in time.',
        inputSchema: z.object({}),
        execute: () => new Promise<{ ok: boolean }>((resolve) => setTimeout(() => resolve({ ok: true }), 5_000)),
      }),
    },
  };
});

type Routes = {
  messages: typeof import('@/app/api/chats/[id]/messages/route');
  chat: typeof import('@/app/api/chats/[id]/route');
};
let routes: Routes;
beforeAll(async () => {
  routes = { messages: await import('@/app/api/chats/[id]/messages/route'), chat: await import('@/app/api/chats/[id]/route') };
}, 60_000);

type Saved = {
  role: string;
  parts: Array<{ type: string; text?: string; state?: string; errorText?: string }>;
  metadata?: { outcome?: string };
};

/** Sends a message and reads the run's whole stream. */
async function run(chatId: string, model: string) {
  const startedAt = performance.now();
  const response = await routes.messages.POST(
    jsonRequest(`/api/chats/${chatId}/messages`, { ...userMessage('Hello'), model }),
    params({ id: chatId }),
  );
  expect(response.status).toBe(200);
  const runId = response.headers.get(RUN_ID_HEADER)!;
  const body = await response.text();
  const elapsedMs = performance.now() - startedAt;
  const { chunks, done } = parseChunks(body);
  const { getStore } = await import('@/lib/store');
  const record = await (await getStore()).getRun(runId);
  const view = (await (await routes.chat.GET(plainRequest(`/api/chats/${chatId}`), params({ id: chatId }))).json()) as {
    messages: Saved[];
  };
  const answer = view.messages.find((m) => m.role === 'assistant');
  return { body, chunks, done, elapsedMs, status: record?.status, runError: record?.error, answer };
}

const phases = (chunks: Chunk[]) => chunks.filter((c) => c.type === 'data-status').map((c) => (c.data as { phase: string }).phase);
const labels = (chunks: Chunk[]) => chunks.filter((c) => c.type === 'data-status').map((c) => (c.data as { label: string }).label);
const errorTexts = (chunks: Chunk[]) => chunks.filter((c) => c.type === 'error').map((c) => String(c.errorText));
const textOf = (message: Saved | undefined) =>
  (message?.parts ?? [])
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('');

describe('provider faults', () => {
  it('retries a 503 before streaming, says so in the bubble, then answers', async () => {
    const result = await run('fault-503', 'test:fail-503-2');
    expect(labels(result.chunks).filter((label) => label.startsWith('Retrying'))).toEqual(['Retrying (1/2)…', 'Retrying (2/2)…']);
    expect(phases(result.chunks).at(-1)).toBe('done');
    expect(result.status).toBe('complete');
    expect(textOf(result.answer)).toBe('Recovered.');
    expect(result.answer?.metadata?.outcome).toBe('complete');
    const model = faults.made.get('test:fail-503-2') as MockLanguageModelV4;
    expect(model.doStreamCalls).toHaveLength(3);
  });

  it('retries a 429 the same way', async () => {
    const result = await run('fault-429', 'test:fail-429-1');
    expect(phases(result.chunks)).toEqual(['thinking', 'retrying', 'thinking', 'responding', 'done']);
    expect(result.status).toBe('complete');
  });

  it('gives up after the configured retries: error status and a clear error part', async () => {
    const result = await run('fault-503-always', 'test:fail-503-9');
    expect(labels(result.chunks).filter((label) => label.startsWith('Retrying'))).toHaveLength(2);
    expect(errorTexts(result.chunks)).toEqual(['The model provider had an error (HTTP 503). Try again.']);
    expect(phases(result.chunks).at(-1)).toBe('error');
    expect(result.done).toBe(true);
    expect(result.status).toBe('error');
    expect((faults.made.get('test:fail-503-9') as MockLanguageModelV4).doStreamCalls).toHaveLength(3);
  });

  it('does not retry a 400: the run fails at once', async () => {
    const result = await run('fault-400', 'test:fail-400-9');
    expect(phases(result.chunks)).not.toContain('retrying');
    expect(errorTexts(result.chunks)).toEqual(['The model provider rejected the request (HTTP 400).']);
    expect(phases(result.chunks).at(-1)).toBe('error');
    expect(result.status).toBe('error');
    expect(result.runError).toBe('The model provider rejected the request (HTTP 400).');
    expect((faults.made.get('test:fail-400-9') as MockLanguageModelV4).doStreamCalls).toHaveLength(1);
    expect(result.answer?.metadata?.outcome).toBe('error');
  });

  it('a failure mid-stream ends the run with an error, the partial answer saved', async () => {
    const result = await run('fault-mid', 'test:mid-stream');
    expect(phases(result.chunks)).not.toContain('retrying');
    expect(errorTexts(result.chunks)).toHaveLength(1);
    expect(phases(result.chunks).at(-1)).toBe('error');
    expect(result.status).toBe('error');
    expect(textOf(result.answer)).toBe('Partial answer ');
    expect(result.answer?.metadata?.outcome).toBe('error');
  });

  it('a provider that never sends its first chunk fails within the chunk timeout', async () => {
    const result = await run('fault-stall-first', 'test:stall-first');
    expect(result.elapsedMs).toBeLessThan(400 + 1_500);
    expect(errorTexts(result.chunks)).toEqual(['The model did not start answering within 0.4 s.']);
    expect(phases(result.chunks).at(-1)).toBe('error');
    expect(result.done).toBe(true);
    expect(result.status).toBe('error');
    expect(result.runError).toBe('The model did not start answering within 0.4 s.');
  });

  it('a provider that stalls mid-answer fails within the chunk timeout, the partial answer saved', async () => {
    const result = await run('fault-stall-mid', 'test:stall-mid');
    expect(result.elapsedMs).toBeLessThan(400 + 1_500);
    expect(errorTexts(result.chunks)).toEqual(['The model stopped answering (nothing for 0.4 s).']);
    expect(phases(result.chunks).at(-1)).toBe('error');
    expect(result.status).toBe('error');
    expect(textOf(result.answer)).toBe('So far ');
    expect(result.answer?.metadata?.outcome).toBe('error');
  });

  it('passes the configured max output tokens and no SDK retries to the model call', async () => {
    await run('fault-tokens', 'test:fail-503-0');
    const model = faults.made.get('test:fail-503-0') as MockLanguageModelV4;
    expect(model.doStreamCalls[0]?.maxOutputTokens).toBe(321);
  });
});

describe('tool faults', () => {
  it('a tool that throws: an error on its card, and the agent carries on', async () => {
    const result = await run('fault-tool-throws', 'test:call-broken_tool');
    const toolError = result.chunks.find((c) => c.type === 'tool-output-error');
    expect(toolError).toMatchObject({ toolCallId: 'call-1' });
    expect(String(toolError?.errorText)).toContain('The broken tool broke.');
    expect(phases(result.chunks).at(-1)).toBe('done');
    expect(result.status).toBe('complete');
    const card = result.answer?.parts.find((p) => p.type === 'tool-broken_tool');
    expect(card?.state).toBe('output-error');
    expect(textOf(result.answer)).toBe('Carried on after the tool.');
  });

  it('a tool past its time limit: an error on its card, and the agent carries on', async () => {
    const result = await run('fault-tool-slow', 'test:call-slow_tool');
    expect(result.elapsedMs).toBeLessThan(3_000);
    const toolError = result.chunks.find((c) => c.type === 'tool-output-error');
    expect(String(toolError?.errorText)).toContain('slow_tool took longer than 0.2 s');
    expect(result.status).toBe('complete');
    const card = result.answer?.parts.find((p) => p.type === 'tool-slow_tool');
    expect(card?.state).toBe('output-error');
    expect(textOf(result.answer)).toBe('Carried on after the tool.');
  });
});

describe('keep-alive', () => {
  it('sends a keep-alive comment while the stream is quiet, and the frames stay intact', async () => {
    const result = await run('fault-keepalive', 'test:slow-words');
    expect(result.body).toContain(KEEP_ALIVE_COMMENT);
    expect(result.chunks.map(describeChunk)).toContain('text-delta');
    expect(textOf(result.answer)).toBe('w0 w1 ');
    expect(result.done).toBe(true);
  });
});

describe('client watchdog', () => {
  const encoder = new TextEncoder();
  const frame = (id: number, chunk: object) => sseFrame({ id: String(id), data: JSON.stringify(chunk) });

  /** A run stream response that sends `text` and then, unless `close`, goes silent (until aborted). */
  function sseResponse(text: string, close: boolean, signal: AbortSignal | null | undefined): Response {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(text));
        if (close) controller.close();
        signal?.addEventListener('abort', () => controller.error(signal.reason));
      },
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream',
        'x-vercel-ai-ui-message-stream': 'v1',
        [KEEP_ALIVE_HEADER]: '50',
        [RUN_ID_HEADER]: 'run-1',
      },
    });
  }

  async function readAll(stream: ReadableStream<{ type: string }>): Promise<Array<{ type: string; delta?: string }>> {
    const chunks: Array<{ type: string; delta?: string }> = [];
    for await (const chunk of stream) chunks.push(chunk);
    return chunks;
  }

  it('re-attaches a silent stream after its last whole frame, with Last-Event-ID, and goes on', async () => {
    const calls: Array<{ url: string; method: string; lastEventId: string | null }> = [];
    vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      calls.push({ url: input, method: init.method ?? 'GET', lastEventId: headers.get(LAST_EVENT_ID_HEADER) });
      if (calls.length === 1) {
        const start =
          frame(1, { type: 'start' }) + frame(2, { type: 'text-start', id: 't' }) + frame(3, { type: 'text-delta', id: 't', delta: 'Hel' });
        // Then half a frame, and the connection goes dead.
        return sseResponse(`${start}id: 4\ndata: {"type":"text-de`, false, init.signal);
      }
      const rest =
        frame(4, { type: 'text-delta', id: 't', delta: 'lo' }) +
        frame(5, { type: 'text-end', id: 't' }) +
        frame(6, { type: 'finish' }) +
        sseFrame({ id: '7', data: DONE_DATA });
      return sseResponse(rest, true, init.signal);
    });
    try {
      const { createChatTransport } = await import('@/lib/chat/client/transport');
      const reattached: boolean[] = [];
      const transport = createChatTransport({ onWatchdogReattach: (found) => reattached.push(found) });
      const stream = await transport.sendMessages({
        trigger: 'submit-message',
        chatId: 'watched',
        messageId: undefined,
        messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
        abortSignal: undefined,
      });
      const chunks = await readAll(stream);
      expect(chunks.map((c) => c.type)).toEqual(['start', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish']);
      expect(textOfChunks(chunks)).toBe('Hello');
      expect(calls).toEqual([
        { url: '/api/chats/watched/messages', method: 'POST', lastEventId: null },
        { url: '/api/chats/watched/stream', method: 'GET', lastEventId: '3' },
      ]);
      expect(reattached).toEqual([true]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('closes the stream when the run ended meanwhile (204), so the page loads the saved answer', async () => {
    let call = 0;
    vi.stubGlobal('fetch', async (_input: string, init: RequestInit = {}) => {
      if (++call === 1) return sseResponse(frame(1, { type: 'start' }), false, init.signal);
      return new Response(null, { status: 204 });
    });
    try {
      const { createChatTransport } = await import('@/lib/chat/client/transport');
      const reattached: boolean[] = [];
      const transport = createChatTransport({ onWatchdogReattach: (found) => reattached.push(found) });
      const stream = await transport.reconnectToStream({ chatId: 'gone' });
      expect(stream).not.toBeNull();
      expect((await readAll(stream!)).map((c) => c.type)).toEqual(['start']);
      expect(reattached).toEqual([false]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
