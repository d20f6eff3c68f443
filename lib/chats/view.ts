import { pathWithSiblings, type PathMessage } from '@/lib/chat/tree';
import { ownedChat } from '@/lib/chats/owned';
import { activeRunInterruptingAbandoned } from '@/lib/chats/run-state';
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

/** The view of a chat already read and known to be the caller's: the chat row is not read again. */
async function viewOf(store: Store, record: ChatRecord): Promise<ChatView> {
  const chat = chatSummary(record);
  const run = await activeRunInterruptingAbandoned(record);
  return {
    chat,
    messages: pathWithSiblings(await store.listMessageTree(record.id), record.activeLeafId),
    activeRun: run ? { id: run.id, startedAt: run.startedAt } : null,
  };
}

/** What the chat page shows: a chat id nobody has used yet is an empty new chat; null when it is someone else's. */
export async function chatPageData(
  chatId: string,
  ownerId: string,
): Promise<{
  title: string | null;
  messages: PathMessage[];
  activeRun: ChatView['activeRun'];
  /** When the chat last changed, read before its messages (null: not created yet). */
  updatedAt: string | null;
  chats: ChatSummary[];
} | null> {
  const store = await getStore();
  // Read together (one round trip's wait, not two); the list is only shown once the chat is the caller's.
  const [chat, chats] = await Promise.all([store.getChat(chatId), store.listChats(ownerId)]);
  if (chat && chat.ownerId !== ownerId) return null;
  if (!chat) return { title: null, messages: [], activeRun: null, updatedAt: null, chats };
  const view = await viewOf(store, chat);
  return { title: chat.title, messages: view.messages, activeRun: view.activeRun, updatedAt: chat.updatedAt, chats };
}
