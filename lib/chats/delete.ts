import { ownedChat } from '@/lib/chats/owned';
import { getRunLog } from '@/lib/runs/log';
import { getStore } from '@/lib/store';

/** Deletes the owner's chat, stopping its run first if one is active. */
export async function deleteChat(chatId: string, ownerId: string): Promise<void> {
  const store = await getStore();
  await ownedChat(store, chatId, ownerId);
  const run = await store.getActiveRun(chatId);
  if (run) await getRunLog().requestStop(run.id);
  await store.deleteChat(chatId);
}
