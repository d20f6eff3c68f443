/**
 * The model providers Maestro knows, what they are called and which environment variable turns
 * each on. Server only: the names of the variables stay out of the client bundle (the page
 * passes the list to the model picker).
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
