import { useEffect, useEffectEvent, useRef } from 'react';
import { fetchActiveRun, type ActiveRunInfo } from '@/lib/chat/client/runs';

/** How often an idle, visible page asks whether a run was started elsewhere. */
export const RUN_POLL_MS = 1_000;

/**
 * While the chat is idle and the page visible, polls for an active run and calls `onRun` when one shows up.
 * Polling keeps idle tabs free of long-lived connections and works the same behind a load balancer.
 */
export function useActiveRunPoll(
  chatId: string,
  /**
   * When the chat last changed as of the messages the page was rendered with. The first poll
   * compares with it: a page rendered mid-run follows that run, and a run that starts and ends
   * before the page polls again must still be loaded.
   */
  renderedUpdatedAt: string | null,
  enabled: boolean,
  onRun: (run: ActiveRunInfo) => void,
  /** The chat changed with no run to follow (one started and ended between two polls). */
  onChanged: () => void,
): void {
  const runFound = useEffectEvent(onRun);
  const chatChanged = useEffectEvent(onChanged);
  // When the chat last changed, as the previous poll (or the page's render) saw it.
  const seenUpdatedAt = useRef(renderedUpdatedAt);

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let inFlight = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();

    const schedule = (delayMs: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => void check(), delayMs);
    };

    async function check(): Promise<void> {
      timer = undefined;
      if (stopped || inFlight || document.visibilityState !== 'visible') return;
      inFlight = true;
      let state: Awaited<ReturnType<typeof fetchActiveRun>> | undefined;
      try {
        state = await fetchActiveRun(chatId, controller.signal);
      } catch {
        // Offline for a moment, or the server restarted: try again on the next beat.
      } finally {
        inFlight = false;
      }
      if (stopped) return;
      if (state?.run) runFound(state.run);
      else if (state && state.updatedAt !== seenUpdatedAt.current) chatChanged();
      if (state) seenUpdatedAt.current = state.updatedAt;
      if (!stopped) schedule(RUN_POLL_MS);
    }

    const onVisibilityChange = () => {
      if (document.visibilityState !== 'visible') {
        clearTimeout(timer);
        timer = undefined;
      } else if (!inFlight) {
        schedule(0);
      }
    };

    document.addEventListener('visibilitychange', onVisibilityChange);
    schedule(RUN_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [chatId, enabled]);
}
