import { HttpError } from '@/lib/http/errors';
import type { ChatRecord, Store } from '@/lib/store/types';

/** The chat if it exists and belongs to `ownerId`; 404 otherwise (another owner's chat does not exist for you). */
export async function ownedChat(store: Store, chatId: string, ownerId: string): Promise<ChatRecord> {
  const chat = await store.getChat(chatId);
  assertOwner(chat, ownerId);
  return chat;
}

/** 404 unless the chat exists and belongs to `ownerId`. */
export function assertOwner(chat: ChatRecord | null, ownerId: string): asserts chat is ChatRecord {
  if (!chat || chat.ownerId !== ownerId) throw new HttpError(404, 'chat_not_found', 'There is no such chat.');
}
