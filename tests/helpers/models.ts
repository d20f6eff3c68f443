import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/**
 * A provider that streams `count` words (`word0 word1 …`), one every `delayMs`, then finishes;
 * with `count` Infinity it never finishes by itself. It stops at once when its call is aborted.
 */
export function pacedWords({ count, delayMs }: { count: number; delayMs: number }): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doStream: async ({ abortSignal }) => {
      let word = 0;
      let timer: ReturnType<typeof setInterval> | undefined;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 't' });
          timer = setInterval(() => {
            if (word < count) {
              controller.enqueue({ type: 'text-delta', id: 't', delta: `word${word++} ` });
              return;
            }
            clearInterval(timer);
            controller.enqueue({ type: 'text-end', id: 't' });
            controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage });
            controller.close();
          }, delayMs);
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

/** A provider that answers with the text of every user message in its prompt, joined by " | ": what the model saw. */
export function echoPrompt(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doStream: async ({ prompt }) => {
      const asked = prompt.flatMap((message) =>
        message.role === 'user' ? [message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')] : [],
      );
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 't' });
          controller.enqueue({ type: 'text-delta', id: 't', delta: asked.join(' | ') });
          controller.enqueue({ type: 'text-end', id: 't' });
          controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage });
          controller.close();
        },
      });
      return { stream };
    },
  });
}

/**
 * `test:echo-prompt` answers with the user messages it was given (see `echoPrompt`).
 * `test:paced-<count>-<delayMs>` answers with paced words; `forever` never finishes by itself.
 * Test files mock the registry with it:
 * vi.mock('@/lib/models/registry', async (original) => (await import('@/tests/helpers/models')).pacedRegistry(original)).
 */
export async function pacedRegistry(importOriginal: <T>() => Promise<T>) {
  const actual = await importOriginal<typeof import('@/lib/models/registry')>();
  return {
    ...actual,
    resolveModel: (
      id: string,
      config?: Parameters<typeof actual.resolveModel>[1],
    ): ReturnType<typeof actual.resolveModel> | { info: ReturnType<typeof actual.resolveModel>['info']; model: MockLanguageModelV4 } => {
      const info = { id, label: id, provider: 'offline' as const, available: true };
      if (id === 'test:echo-prompt') return { info, model: echoPrompt() };
      const paced = /^test:paced-(\d+|forever)-(\d+)$/.exec(id);
      if (!paced) return actual.resolveModel(id, config);
      const count = paced[1] === 'forever' ? Number.POSITIVE_INFINITY : Number(paced[1]);
      return { info, model: pacedWords({ count, delayMs: Number(paced[2]) }) };
    },
  };
}
