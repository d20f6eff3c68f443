import { useCallback, useSyncExternalStore } from 'react';
import type { ModelInfo } from '@/lib/models/registry';

const STORAGE_KEY = 'maestro:model';
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled
  }
}

/**
 * The model the user picked, remembered in localStorage. The server's default applies until the
 * page is hydrated and whenever the remembered model is unknown or unavailable here.
 */
export function useModelChoice(models: readonly ModelInfo[], defaultId: string): [string, (id: string) => void] {
  const stored = useSyncExternalStore(subscribe, readStored, () => null);
  const chosen = stored !== null && models.some((m) => m.id === stored && m.available) ? stored : defaultId;
  const choose = useCallback((id: string) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
    for (const listener of listeners) listener();
  }, []);
  return [chosen, choose];
}
