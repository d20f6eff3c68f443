import type { ChatMessage } from '@/lib/chat/types';

export type ChatSummary = {
  id: string;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; moves when a message is saved. */
  updatedAt: string;
};

/**
 * Persistence for chats and their messages. SQLite (node:sqlite) is the embedded backend;
 * a Postgres backend implements the same interface.
 */
export interface Store {
  listChats(): Promise<ChatSummary[]>;
  getChat(id: string): Promise<ChatSummary | null>;
  /** Creates the chat if it does not exist yet; returns it either way. */
  ensureChat(id: string, title: string): Promise<ChatSummary>;
  /** Deletes the chat and its messages; false when there was no such chat. */
  deleteChat(id: string): Promise<boolean>;
  /** Messages in the order they were first saved. */
  listMessages(chatId: string): Promise<ChatMessage[]>;
  /** Inserts, or replaces the message with the same id in this chat (keeping its position). */
  saveMessage(chatId: string, message: ChatMessage): Promise<void>;
  /** Deletes every message saved after the given one (a retry replaces the answer that failed). */
  deleteMessagesAfter(chatId: string, messageId: string): Promise<void>;
  close(): Promise<void>;
}
