import type { LanguageModelV4 } from '@ai-sdk/provider';

/** `model` with its calls replaced by `calls`, everything else (provider, id, URLs) its own. */
export function wrapModel(model: LanguageModelV4, calls: Pick<LanguageModelV4, 'doGenerate' | 'doStream'>): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: model.provider,
    modelId: model.modelId,
    get supportedUrls() {
      return model.supportedUrls;
    },
    ...calls,
  };
}
