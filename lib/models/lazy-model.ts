import type { LanguageModelV4 } from '@ai-sdk/provider';

/**
 * A model whose provider package is loaded on its first call, not when the server starts: a
 * provider that is not configured is never loaded, and a cold instance's first request does not
 * wait for it before its first status. `provider` and `modelId` are known before.
 */
export function lazyModel(provider: string, modelId: string, load: () => Promise<LanguageModelV4>): LanguageModelV4 {
  let loaded: Promise<LanguageModelV4> | undefined;
  const model = () => (loaded ??= load());
  return {
    specificationVersion: 'v4',
    provider,
    modelId,
    get supportedUrls() {
      return model().then((m) => m.supportedUrls);
    },
    doGenerate: async (options) => (await model()).doGenerate(options),
    doStream: async (options) => (await model()).doStream(options),
  };
}

type PatchedFetch = typeof fetch & { _nextOriginalFetch?: typeof fetch };

/**
 * `fetch` as Node has it. Next.js wraps the global one for its data cache and tracing, per call;
 * a provider's streaming call uses neither, and is made by a run that outlives its request.
 */
export function unpatchedFetch(): typeof fetch {
  const current = globalThis.fetch as PatchedFetch;
  return current._nextOriginalFetch ?? current;
}
