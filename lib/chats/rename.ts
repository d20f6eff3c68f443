import { ownedChat } from '@/lib/chats/owned';
import { HttpError } from '@/lib/http/errors';
import { getStore } from '@/lib/store';
import { chatSummary, type ChatSummary } from '@/lib/store/types';

/** Gives the owner's chat a new title (already checked by `chatTitleSchema`); 404 for anyone else. */
export async function renameChat(chatId: string, ownerId: string, title: string): Promise<ChatSummary> {
  const store = await getStore();
  await ownedChat(store, chatId, ownerId);
  const renamed = await store.renameChat(chatId, title);
  // Deleted between the two statements.
  if (!renamed) throw new HttpError(404, 'chat_not_found', 'There is no such chat.');
  return chatSummary(renamed);
}
