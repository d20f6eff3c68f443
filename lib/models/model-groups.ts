import type { ModelProvider, ProviderInfo } from '@/lib/models/providers';

/** The part of a model's description that grouping needs. */
type ListedModel = { id: string; label: string; provider: ModelProvider; available: boolean };

export type ModelGroups<M extends ListedModel> = {
  /** Providers with at least one available model, each with those models, in the order of `providers`. */
  available: Array<{ provider: ProviderInfo; models: M[] }>;
  /** Providers that have no available model, with the variable that turns each on. */
  addable: ProviderInfo[];
};

/** Splits a model list into what can be chosen now (by provider) and what could be added. */
export function groupModels<M extends ListedModel>(models: readonly M[], providers: readonly ProviderInfo[]): ModelGroups<M> {
  const groups: ModelGroups<M> = { available: [], addable: [] };
  for (const provider of providers) {
    const usable = models.filter((model) => model.provider === provider.id && model.available);
    if (usable.length > 0) groups.available.push({ provider, models: usable });
    else groups.addable.push(provider);
  }
  return groups;
}
