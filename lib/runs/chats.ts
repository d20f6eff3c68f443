import { newestLeafBelow, pathWithSiblings, type PathMessage } from '@/lib/chat/tree';
import { HttpError } from '@/lib/http/errors';
import { activeRun } from '@/lib/runs/active';
import { getRunLog } from '@/lib/runs/log';
import { ownedChat } from '@/lib/runs/run';
import { getStore } from '@/lib/store';
import { chatSummary, type ChatRecord, type ChatSummary, type Store } from '@/lib/store/types';

export type ChatView = {
  chat: ChatSummary;
  /** The active path, first to last, each message with its parent and siblings. */
  messages: PathMessage[];
  /** The run answering right now, if any; its answer is not among `messages` until it ends. */
  activeRun: { id: string; startedAt: string } | null;
};

/** A chat as its owner sees it; 404 for anyone else. */
export async function loadChat(chatId: string, ownerId: string): Promise<ChatView> {
  const store = await getStore();
  return viewOf(store, await ownedChat(store, chatId, ownerId));
}

async function viewOf(store: Store, record: ChatRecord): Promise<ChatView> {
  const chat = chatSummary(record);
  const run = await activeRun(chat.id, record.ownerId);
  return {
    chat,
    messages: await activePath(store, record),
    activeRun: run ? { id: run.id, startedAt: run.startedAt } : null,
  };
}

async function activePath(store: Store, chat: ChatRecord): Promise<PathMessage[]> {
  return pathWithSiblings(await store.listMessageTree(chat.id), chat.activeLeafId);
}

/**
 * Makes the path through `messageId` the chat's active path, down to the newest message below it,
 * and returns that path. 404 for an unknown message; 409 while the chat is answering (the answer
 * goes on the branch it was started from).
 */
export async function switchBranch(chatId: string, ownerId: string, messageId: string): Promise<PathMessage[]> {
  const store = await getStore();
  await ownedChat(store, chatId, ownerId);
  if (await activeRun(chatId, ownerId)) {
    throw new HttpError(409, 'run_active', 'This chat is still answering. Wait for the answer or stop it, then switch.');
  }
  const nodes = await store.listMessageTree(chatId);
  const leaf = newestLeafBelow(nodes, messageId);
  if (leaf === undefined || !(await store.setActiveLeaf(chatId, leaf))) {
    throw new HttpError(404, 'message_not_found', 'The chat has no such message.');
  }
  return pathWithSiblings(nodes, leaf);
}

/** Deletes the owner's chat, stopping its run first if one is active. */
export async function deleteChat(chatId: string, ownerId: string): Promise<void> {
  const store = await getStore();
  await ownedChat(store, chatId, ownerId);
  const run = await store.getActiveRun(chatId);
  if (run) await getRunLog().requestStop(run.id);
  await store.deleteChat(chatId);
}

/** What the chat page shows: a chat id nobody has used yet is an empty new chat; null when it is someone else's. */
export async function chatPageData(chatId: string, ownerId: string): Promise<
  {
    title: string | null;
    messages: PathMessage[];
    activeRun: ChatView['activeRun'];
    /** When the chat last changed, read before its messages (null: not created yet). */
    updatedAt: string | null;
    chats: ChatSummary[];
  } | null
> {
  const store = await getStore();
  const chat = await store.getChat(chatId);
  if (chat && chat.ownerId !== ownerId) return null;
  const chats = await store.listChats(ownerId);
  if (!chat) return { title: null, messages: [], activeRun: null, updatedAt: null, chats };
  const view = await viewOf(store, chat);
  return { title: chat.title, messages: view.messages, activeRun: view.activeRun, updatedAt: chat.updatedAt, chats };
}
