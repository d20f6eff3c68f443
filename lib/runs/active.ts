import { interruptIfAbandoned, recoverAbandonedRuns } from '@/lib/runs/interrupt';
import { getRunLog } from '@/lib/runs/log';
import { ownedChat } from '@/lib/runs/run';
import { getStore } from '@/lib/store';
import type { RunRecord } from '@/lib/store/types';

/**
 * The owner's chat's running run, or null: 404 for a chat that is not theirs, and a run whose
 * producer is gone is ended (interrupted) rather than reported as running.
 */
export async function activeRun(chatId: string, ownerId: string): Promise<RunRecord | null> {
  await recoverAbandonedRuns();
  const store = await getStore();
  const chat = await store.getChat(chatId);
  if (!chat) return null;
  await ownedChat(store, chatId, ownerId);
  const run = await store.getActiveRun(chatId);
  if (!run) return null;
  if (!(await getRunLog().hasLease(run.id))) {
    await interruptIfAbandoned(run.id);
    return null;
  }
  return run;
}

/**
 * What an idle page polls: the active run, and when the chat last changed — a run that started and
 * ended between two polls still moves `updatedAt`, so the page knows to load its answer.
 */
export async function chatRunState(chatId: string, ownerId: string): Promise<{ run: RunRecord | null; updatedAt: string | null }> {
  const run = await activeRun(chatId, ownerId);
  const chat = await (await getStore()).getChat(chatId);
  return { run, updatedAt: chat?.updatedAt ?? null };
}
