/**
 * The model each chat uses, as the browser remembers it: a list of `[chatId, modelId]`, most
 * recently used first, bounded so that it cannot grow without end. Pure functions over the
 * stored text; components/chat/use-model-choice.ts keeps it in localStorage.
 */

/** How many chats keep their own choice; the least recently used ones are forgotten first. */
export const MAX_REMEMBERED_CHATS = 200;

type Choices = Array<[chatId: string, modelId: string]>;

function isPair(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

/** The remembered choices; anything unreadable counts as none. */
export function parseChoices(stored: string | null): Choices {
  if (stored === null) return [];
  try {
    const value: unknown = JSON.parse(stored);
    return Array.isArray(value) ? value.filter(isPair) : [];
  } catch {
    return [];
  }
}

/** The stored text after `chatId` chose `modelId`: that chat first, at most `limit` chats. */
export function rememberChoice(stored: string | null, chatId: string, modelId: string, limit = MAX_REMEMBERED_CHATS): string {
  const others = parseChoices(stored).filter(([id]) => id !== chatId);
  return JSON.stringify([[chatId, modelId], ...others].slice(0, limit));
}

export type ChoiceSources = {
  /** The stored per-chat choices (`rememberChoice`'s text). */
  stored: string | null;
  chatId: string;
  /** The model of the chat's last answer, if any: what the server knows the chat used. */
  answeredWith?: string;
  /** The last model chosen in any chat: where a new chat starts. */
  lastChosen: string | null;
  /** Ids of the models that can answer now. */
  available: ReadonlySet<string>;
  defaultId: string;
};

/**
 * The model a chat uses: its own choice, else the model that last answered in it, else the last
 * choice made anywhere, else the server's default. A candidate that is not available here is
 * skipped (its provider was turned off since).
 */
export function resolveChoice({ stored, chatId, answeredWith, lastChosen, available, defaultId }: ChoiceSources): string {
  const own = parseChoices(stored).find(([id]) => id === chatId)?.[1];
  const candidates = [own, answeredWith, lastChosen];
  return candidates.find((id): id is string => id !== undefined && id !== null && available.has(id)) ?? defaultId;
}
