import { interruptIfAbandoned, recoverAbandonedRuns } from '@/lib/runs/interrupt';
import { getRunLog } from '@/lib/runs/log';
import { assertOwner } from '@/lib/runs/run';
import { getStore } from '@/lib/store';
import type { RunRecord } from '@/lib/store/types';

/**
 * What an idle page polls: the chat's running run, and when the chat last changed (a run that
 * started and ended between two polls still moves `updatedAt`, so the page knows to load its
 * answer). One read of the chat and its run; 404 for a chat that is not the caller's; a run whose producer is
 * gone is ended (interrupted) rather than reported as running.
 */
export async function chatRunState(chatId: string, ownerId: string): Promise<{ run: RunRecord | null; updatedAt: string | null }> {
  await recoverAbandonedRuns();
  const store = await getStore();
  // Read together (one round trip's wait, not two); the run is only used once the chat is the caller's.
  const [chat, run] = await Promise.all([store.getChat(chatId), store.getActiveRun(chatId)]);
  if (!chat) return { run: null, updatedAt: null };
  assertOwner(chat, ownerId);
  if (run && !(await getRunLog().hasLease(run.id))) {
    await interruptIfAbandoned(run.id);
    return { run: null, updatedAt: chat.updatedAt };
  }
  return { run, updatedAt: chat.updatedAt };
}

/** The owner's chat's running run, or null (see chatRunState). */
export async function activeRun(chatId: string, ownerId: string): Promise<RunRecord | null> {
  return (await chatRunState(chatId, ownerId)).run;
}
