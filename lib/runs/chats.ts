import type { ChatMessage } from '@/lib/chat/types';
import { activeRun } from '@/lib/runs/active';
import { getRunLog } from '@/lib/runs/log';
import { ownedChat } from '@/lib/runs/run';
import { getStore } from '@/lib/store';
import type { ChatSummary } from '@/lib/store/types';

export type ChatView = {
  chat: ChatSummary;
  messages: ChatMessage[];
  /** The run answering right now, if any; its answer is not among `messages` until it ends. */
  activeRun: { id: string; startedAt: string } | null;
};

/** A chat as its owner sees it; 404 for anyone else. */
export async function loadChat(chatId: string, ownerId: string): Promise<ChatView> {
  const store = await getStore();
  const { ownerId: _owner, ...chat } = await ownedChat(store, chatId, ownerId);
  const run = await activeRun(chatId, ownerId);
  return {
    chat,
    messages: await store.listMessages(chatId),
    activeRun: run ? { id: run.id, startedAt: run.startedAt } : null,
  };
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
    messages: ChatMessage[];
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
  const view = await loadChat(chatId, ownerId);
  return { title: chat.title, messages: view.messages, activeRun: view.activeRun, updatedAt: chat.updatedAt, chats };
}
