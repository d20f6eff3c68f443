import { assertOwner } from '@/lib/chats/owned';
import { interruptIfAbandoned, recoverAbandonedRuns } from '@/lib/runs/interrupt';
import { getStore } from '@/lib/store';
import type { ChatRecord, RunRecord } from '@/lib/store/types';

/** The run while its producer holds the lease (or, just made, takes it); otherwise the run is ended (interrupted) and null. */
async function liveOrInterrupted(run: RunRecord | null): Promise<RunRecord | null> {
  return run && (await interruptIfAbandoned(run.id)) ? null : run;
}

/**
 * What an idle page polls: the running run and `updatedAt`, which moves even for a run that came and went between
 * polls. 404 for another's chat; a run whose producer is gone is interrupted, not reported as running.
 */
export async function chatRunState(chatId: string, ownerId: string): Promise<{ run: RunRecord | null; updatedAt: string | null }> {
  await recoverAbandonedRuns();
  const store = await getStore();
  // Read together (one round trip's wait, not two); the run is only used once the chat is the caller's.
  const [chat, run] = await Promise.all([store.getChat(chatId), store.getActiveRun(chatId)]);
  if (!chat) return { run: null, updatedAt: null };
  assertOwner(chat, ownerId);
  return { run: await liveOrInterrupted(run), updatedAt: chat.updatedAt };
}

/**
 * The running run of a chat already read and known to be the caller's (so it is not read again), or
 * null; a run whose producer is gone is interrupted first.
 */
export async function activeRunInterruptingAbandoned(chat: ChatRecord): Promise<RunRecord | null> {
  await recoverAbandonedRuns();
  const store = await getStore();
  return liveOrInterrupted(await store.getActiveRun(chat.id));
}
