'use client';

import { useCallback, useEffect, useState } from 'react';
import { fetchToolCatalog, type ToolCatalog } from '@/lib/chat/client/tools';

type Loaded = { catalog: ToolCatalog | null; error: string | null; attempt: number };

/**
 * The tool catalog, loaded each time `open` becomes true (the last one stays shown meanwhile), with
 * a way to load it again.
 */
export function useToolCatalog(open: boolean): { catalog: ToolCatalog | null; error: string | null; loading: boolean; reload: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>({ catalog: null, error: null, attempt: -1 });

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    fetchToolCatalog(controller.signal).then(
      (catalog) => setLoaded({ catalog, error: null, attempt }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoaded((previous) => ({ ...previous, error: error instanceof Error ? error.message : 'Loading the tools failed.', attempt }));
      },
    );
    return () => controller.abort();
  }, [open, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { catalog: loaded.catalog, error: loaded.error, loading: open && loaded.attempt !== attempt, reload };
}
