import type { LanguageModelV4 } from '@ai-sdk/provider';
import { getConfig, type Config } from '@/lib/config';
import { lazyModel, unpatchedFetch } from '@/lib/models/lazy-model';
import { createOfflineModel } from '@/lib/models/offline/model';
import { PROVIDERS, setupHint, type ModelProvider, type ProviderInfo } from '@/lib/models/providers';

export type { ModelProvider };

export type ModelInfo = {
  /** `provider:model`, e.g. `offline:maestro`. */
  id: string;
  label: string;
  provider: ModelProvider;
  available: boolean;
  /** Why an unavailable model is off, e.g. which variable turns it on. */
  hint?: string;
};

export const OFFLINE_MODEL_ID = 'offline:maestro';

const GOOGLE_MODELS = [
  ['gemini-2.5-flash', 'Gemini 2.5 Flash'],
  ['gemini-2.5-pro', 'Gemini 2.5 Pro'],
] as const;

const OPENAI_MODELS = [
  ['gpt-5-mini', 'GPT-5 mini'],
  ['gpt-5', 'GPT-5'],
  ['gpt-4.1-mini', 'GPT-4.1 mini'],
] as const;

/** A provider as `GET /api/models` lists it: available when at least one of its models is. */
export type ProviderStatus = ProviderInfo & { available: boolean };

export type ModelList = { models: ModelInfo[]; default: string; providers: ProviderStatus[] };

/** Every model this configuration knows of, available or not, and every provider. */
export function listModels(config: Config = getConfig()): ModelList {
  const models: ModelInfo[] = [
    { id: OFFLINE_MODEL_ID, label: 'Maestro (offline)', provider: 'offline', available: true },
    ...GOOGLE_MODELS.map(([model, label]) => ({
      id: `google:${model}`,
      label,
      provider: 'google' as const,
      available: config.googleApiKey !== undefined,
      hint: config.googleApiKey ? undefined : setupHint('google'),
    })),
    ...OPENAI_MODELS.map(([model, label]) => ({
      id: `openai:${model}`,
      label,
      provider: 'openai' as const,
      available: config.openaiApiKey !== undefined,
      hint: config.openaiApiKey ? undefined : setupHint('openai'),
    })),
  ];
  if (config.local) {
    models.push({ id: `local:${config.local.model}`, label: `${config.local.model} (local)`, provider: 'local', available: true });
  }
  const providers = PROVIDERS.map((provider) => ({
    ...provider,
    available: models.some((model) => model.provider === provider.id && model.available),
  }));
  return { models, default: defaultModelId(config, models), providers };
}

function defaultModelId(config: Config, models: ModelInfo[]): string {
  const isAvailable = (id: string) => models.some((m) => m.id === id && m.available);
  if (config.defaultModel && isAvailable(config.defaultModel)) return config.defaultModel;
  if (config.googleApiKey) return 'google:gemini-2.5-flash';
  return OFFLINE_MODEL_ID;
}

export class ModelNotFoundError extends Error {
  constructor(
    readonly code: 'unknown_model' | 'model_unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'ModelNotFoundError';
  }
}

/** Resolves a model id to the language model that serves it; throws ModelNotFoundError otherwise. */
export function resolveModel(id: string, config: Config = getConfig()): { info: ModelInfo; model: LanguageModelV4 } {
  const info = listModels(config).models.find((m) => m.id === id);
  if (!info) throw new ModelNotFoundError('unknown_model', `Unknown model "${id}". GET /api/models lists the models.`);
  if (!info.available) {
    throw new ModelNotFoundError('model_unavailable', `Model "${id}" is not configured on this server (${info.hint}).`);
  }
  const modelName = id.slice(id.indexOf(':') + 1);
  const provider = info.provider;
  if (provider === 'offline') return { info, model: createOfflineModel({ delayMs: config.offlineDelayMs }) };
  return { info, model: lazyModel(provider, modelName, () => providerModel(provider, modelName, config)) };
}

/**
 * Each provider, and each of its models, is made once per configuration: neither holds anything per
 * call, and a model builds its response schemas when it is made (dozens of zod schemas that one
 * made per answer kept for as long as the answer streamed).
 */
const providers = new Map<string, Promise<(modelName: string) => LanguageModelV4>>();
const models = new Map<string, Promise<LanguageModelV4>>();

/** The provider's model, its package loaded on first use. */
function providerModel(provider: Exclude<ModelProvider, 'offline'>, modelName: string, config: Config): Promise<LanguageModelV4> {
  const key = JSON.stringify([provider, config.googleApiKey, config.openaiApiKey, config.openaiBaseUrl, config.local]);
  const modelKey = JSON.stringify([key, modelName]);
  let model = models.get(modelKey);
  if (!model) {
    let made = providers.get(key);
    if (!made) {
      made = makeProvider(provider, config);
      providers.set(key, made);
    }
    model = made.then((make) => make(modelName));
    models.set(modelKey, model);
  }
  return model;
}

async function makeProvider(provider: Exclude<ModelProvider, 'offline'>, config: Config): Promise<(modelName: string) => LanguageModelV4> {
  const fetch = unpatchedFetch();
  switch (provider) {
    case 'google':
      return (await import('@ai-sdk/google')).createGoogle({ apiKey: config.googleApiKey, fetch });
    case 'openai':
      return (await import('@ai-sdk/openai')).createOpenAI({ apiKey: config.openaiApiKey, baseURL: config.openaiBaseUrl, fetch });
    case 'local': {
      const local = config.local;
      if (!local) throw new ModelNotFoundError('model_unavailable', 'The local model is not configured on this server.');
      return (await import('@ai-sdk/openai-compatible')).createOpenAICompatible({
        name: 'local',
        baseURL: local.baseUrl,
        apiKey: local.apiKey,
        includeUsage: true,
        fetch,
      });
    }
  }
}
