import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { groupModels } from '@/lib/models/model-groups';
import { PROVIDERS } from '@/lib/models/providers';
import { listModels } from '@/lib/models/registry';

describe('model providers', () => {
  it('groups available models by provider and offers the others with the variable that turns them on', () => {
    const { models } = listModels(parseConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1' }));
    const { available, addable } = groupModels(models, PROVIDERS);
    expect(available.map(({ provider, models: list }) => [provider.label, list.map((m) => m.id)])).toEqual([
      ['Offline', ['offline:maestro']],
      ['OpenAI', ['openai:gpt-5-mini', 'openai:gpt-5', 'openai:gpt-4.1-mini']],
      ['Local (OpenAI-compatible)', ['local:llama3.2']],
    ]);
    expect(addable.map((provider) => [provider.label, provider.env])).toEqual([['Google Gemini', 'GOOGLE_GENERATIVE_AI_API_KEY']]);
  });

  it('with nothing configured, offers every provider but the offline model under "add"', () => {
    const { available, addable } = groupModels(listModels(parseConfig({})).models, PROVIDERS);
    expect(available.map(({ provider }) => provider.id)).toEqual(['offline']);
    expect(addable.map((provider) => provider.env)).toEqual([
      'GOOGLE_GENERATIVE_AI_API_KEY',
      'OPENAI_API_KEY',
      'OPENAI_COMPATIBLE_BASE_URL',
    ]);
  });

  it('GET /api/models keeps its fields and adds the providers, with their variables and whether they are on', () => {
    const list = listModels(parseConfig({ GOOGLE_GENERATIVE_AI_API_KEY: 'key' }));
    expect(list.default).toBe('google:gemini-2.5-flash');
    expect(list.models[0]).toEqual({ id: 'offline:maestro', label: 'Maestro (offline)', provider: 'offline', available: true });
    expect(list.models.find((m) => m.id === 'openai:gpt-5')).toMatchObject({ available: false, hint: 'set OPENAI_API_KEY' });
    expect(list.providers).toEqual([
      { id: 'offline', label: 'Offline', available: true },
      { id: 'google', label: 'Google Gemini', env: 'GOOGLE_GENERATIVE_AI_API_KEY', available: true },
      { id: 'openai', label: 'OpenAI', env: 'OPENAI_API_KEY', available: false },
      { id: 'local', label: 'Local (OpenAI-compatible)', env: 'OPENAI_COMPATIBLE_BASE_URL', available: false },
    ]);
  });
});
