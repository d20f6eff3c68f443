import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { rememberChoice, resolveChoice } from '@/lib/chat/model-choices';
import type { ModelInfo } from '@/lib/models/registry';

/** The last model chosen in any chat (the key predates per-chat choices: an old choice carries over). */
const LAST_CHOSEN_KEY = 'maestro:model';
/** Each chat's own model, most recently used first (lib/chat/model-choices.ts). */
const PER_CHAT_KEY = 'maestro:model-by-chat';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener); // another tab chose
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled
  }
}

function write(entries: Array<[key: string, value: string]>): void {
  try {
    for (const [key, value] of entries) window.localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: the choice lasts for this page only
  }
  for (const listener of listeners) listener();
}

/**
 * One chat's model and its setter, remembered per chat in localStorage (see lib/chat/model-choices.ts); until
 * hydration the server's guess applies, so the first render matches the server's.
 */
export function useModelChoice(
  chatId: string,
  models: readonly ModelInfo[],
  defaultId: string,
  answeredWith?: string,
): [model: string, choose: (id: string) => void] {
  const available = useMemo(() => new Set(models.filter((m) => m.available).map((m) => m.id)), [models]);
  const model = useSyncExternalStore(
    subscribe,
    () => resolveChoice({ stored: read(PER_CHAT_KEY), chatId, answeredWith, lastChosen: read(LAST_CHOSEN_KEY), available, defaultId }),
    () => resolveChoice({ stored: null, chatId, answeredWith, lastChosen: null, available, defaultId }),
  );
  // The chat keeps the choice, and new chats start from it.
  const choose = useCallback(
    (id: string) =>
      write([
        [PER_CHAT_KEY, rememberChoice(read(PER_CHAT_KEY), chatId, id)],
        [LAST_CHOSEN_KEY, id],
      ]),
    [chatId],
  );
  return [model, choose];
}
