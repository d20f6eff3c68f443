/**
 * The model providers Maestro knows, what they are called and which environment variable turns
 * each on. No server imports: the model picker reads this too.
 */
export type ModelProvider = 'offline' | 'google' | 'openai' | 'local';

export type ProviderInfo = {
  id: ModelProvider;
  label: string;
  /** The variable that turns the provider on; none for the offline model, which is always on. */
  env?: string;
};

/** In the order the picker lists them. */
export const PROVIDERS: readonly ProviderInfo[] = [
  { id: 'offline', label: 'Offline' },
  { id: 'google', label: 'Google Gemini', env: 'GOOGLE_GENERATIVE_AI_API_KEY' },
  { id: 'openai', label: 'OpenAI', env: 'OPENAI_API_KEY' },
  { id: 'local', label: 'Local (OpenAI-compatible)', env: 'OPENAI_COMPATIBLE_BASE_URL' },
];

/** What an unavailable model of this provider says, e.g. "set OPENAI_API_KEY". */
export function setupHint(id: ModelProvider): string | undefined {
  const env = PROVIDERS.find((provider) => provider.id === id)?.env;
  return env ? `set ${env}` : undefined;
}

/** The part of a model's description that grouping needs. */
type ListedModel = { id: string; label: string; provider: ModelProvider; available: boolean };

export type ModelGroups<M extends ListedModel> = {
  /** Providers with at least one available model, each with those models, in PROVIDERS order. */
  available: Array<{ provider: ProviderInfo; models: M[] }>;
  /** Providers that have no available model, with the variable that turns each on. */
  addable: ProviderInfo[];
};

/** Splits a model list into what can be chosen now (by provider) and what could be added. */
export function groupModels<M extends ListedModel>(models: readonly M[]): ModelGroups<M> {
  const groups: ModelGroups<M> = { available: [], addable: [] };
  for (const provider of PROVIDERS) {
    const usable = models.filter((model) => model.provider === provider.id && model.available);
    if (usable.length > 0) groups.available.push({ provider, models: usable });
    else groups.addable.push(provider);
  }
  return groups;
}
