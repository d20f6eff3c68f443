import { useEffect, useState, useSyncExternalStore } from 'react';

/** When this browser saw a tool call start running and finish: the fallback for its duration. */
export type ToolTiming = { startedAt: number; endedAt?: number };

const timings = new Map<string, ToolTiming>();
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * Measures a tool call on the client: its start when it is first seen running, its end when it is
 * first seen finished. Calls that were already finished when first seen (e.g. after a reload)
 * have no client timing.
 */
export function useToolTiming(toolCallId: string, phase: 'running' | 'finished' | 'other'): ToolTiming | undefined {
  useEffect(() => {
    const current = timings.get(toolCallId);
    if (phase === 'running' && !current) {
      timings.set(toolCallId, { startedAt: Date.now() });
      emit();
    } else if (phase === 'finished' && current && current.endedAt === undefined) {
      timings.set(toolCallId, { ...current, endedAt: Date.now() });
      emit();
    }
  }, [toolCallId, phase]);
  return useSyncExternalStore(
    subscribe,
    () => timings.get(toolCallId),
    () => undefined,
  );
}

/** The current time, re-read every `intervalMs` while `active`; null before the first tick. */
export function useTicker(active: boolean, intervalMs = 100): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [active, intervalMs]);
  return now;
}
