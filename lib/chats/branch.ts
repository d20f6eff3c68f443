import { newestLeafBelow, pathWithSiblings, type PathMessage } from '@/lib/chat/tree';
import { ownedChat } from '@/lib/chats/owned';
import { activeRunInterruptingAbandoned } from '@/lib/chats/run-state';
import { HttpError } from '@/lib/http/errors';
import { getStore } from '@/lib/store';

/**
 * Makes the path through `messageId` the chat's active path, down to the newest message below it,
 * and returns that path. 404 for an unknown message; 409 while the chat is answering (the answer
 * goes on the branch it was started from).
 */
export async function switchBranch(chatId: string, ownerId: string, messageId: string): Promise<PathMessage[]> {
  const store = await getStore();
  const chat = await ownedChat(store, chatId, ownerId);
  if (await activeRunInterruptingAbandoned(chat)) {
    throw new HttpError(409, 'run_active', 'This chat is still answering. Wait for the answer or stop it, then switch.');
  }
  const nodes = await store.listMessageTree(chatId);
  const leaf = newestLeafBelow(nodes, messageId);
  if (leaf === undefined || !(await store.setActiveLeaf(chatId, leaf))) {
    throw new HttpError(404, 'message_not_found', 'The chat has no such message.');
  }
  return pathWithSiblings(nodes, leaf);
}
