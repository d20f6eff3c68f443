import { useEffect, useState } from 'react';
import { searchChats, type ChatSearchResult } from '@/lib/chat/client/chats';

/** Wait after the last keystroke before searching. */
const DEBOUNCE_MS = 200;

type Found = { query: string; results: ChatSearchResult[]; error: string | null };

/**
 * The caller's chats matching `query` as it is typed (debounced; stale answers dropped). `results`
 * are those of the last query answered (null before the first); `searching` while the current one
 * is not answered yet.
 */
export function useChatSearch(query: string): { results: ChatSearchResult[] | null; searching: boolean; error: string | null } {
  const wanted = query.trim();
  const [found, setFound] = useState<Found | null>(null);

  useEffect(() => {
    if (wanted === '') return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      searchChats(wanted, controller.signal).then(
        (results) => setFound({ query: wanted, results, error: null }),
        (error: unknown) => {
          if (!controller.signal.aborted)
            setFound({ query: wanted, results: [], error: error instanceof Error ? error.message : 'Search failed.' });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [wanted]);

  return { results: found?.results ?? null, searching: found?.query !== wanted, error: found?.error ?? null };
}
