import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '@/lib/config';
import { resolveModel } from '@/lib/models/registry';

/** How many chat models the real provider package has made. */
const made = vi.hoisted(() => ({ models: 0 }));
vi.mock('@ai-sdk/openai-compatible', async (importActual) => {
  const actual = await importActual<typeof import('@ai-sdk/openai-compatible')>();
  return {
    ...actual,
    createOpenAICompatible: (...args: Parameters<typeof actual.createOpenAICompatible>) => {
      const provider = actual.createOpenAICompatible(...args);
      return Object.assign((modelId: string) => {
        made.models += 1;
        return provider(modelId);
      }, provider);
    },
  };
});

/** An OpenAI-compatible endpoint on this machine that streams `words`, one per write. */
function startProvider(words: string[]) {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const frame = (delta: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      for (const word of words) response.write(frame({ content: word }));
      response.write(frame({}, 'stop'));
      response.end('data: [DONE]\n\n');
    });
  });
  return { server, requests };
}

describe('provider models', () => {
  const words = ['Streamed ', 'over ', 'the ', 'network.'];
  const provider = startProvider(words);
  let baseUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => provider.server.close());

  it('calls the provider with the fetch Next.js wrapped, not the wrapper, and streams its answer', async () => {
    const original = globalThis.fetch;
    let wrapperCalls = 0;
    const wrapper = Object.assign(
      (...args: Parameters<typeof fetch>) => {
        wrapperCalls += 1;
        return original(...args);
      },
      { _nextOriginalFetch: original },
    );
    globalThis.fetch = wrapper;
    try {
      const { model, info } = resolveModel('local:m', parseConfig({ OPENAI_COMPATIBLE_BASE_URL: baseUrl, OPENAI_COMPATIBLE_MODEL: 'm' }));
      expect(info.provider).toBe('local');
      // Nothing is loaded or called until the model is used.
      expect(provider.requests).toEqual([]);
      const result = streamText({ model, prompt: 'Hello' });
      expect(await result.text).toBe(words.join(''));
      expect(provider.requests).toEqual(['POST /v1/chat/completions']);
      expect(wrapperCalls).toBe(0);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('makes each model once, not once per answer (a model builds its response schemas when it is made)', async () => {
    const config = parseConfig({ OPENAI_COMPATIBLE_BASE_URL: baseUrl, OPENAI_COMPATIBLE_MODEL: 'm2' });
    const before = made.models;
    for (let answer = 0; answer < 3; answer++) {
      const { model } = resolveModel('local:m2', config);
      expect(await streamText({ model, prompt: 'Hello' }).text).toBe(words.join(''));
    }
    expect(made.models - before).toBe(1);
  });
});
