import type { ChatMessage, Outcome } from '@/lib/chat/types';

export type ChatSummary = {
  id: string;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; moves when a message is saved. */
  updatedAt: string;
};

/** A chat with the identity that owns it (never sent to clients as such). */
export type ChatRecord = ChatSummary & { ownerId: string };

export type RunStatus = 'running' | Outcome;

/** One run of the agent: a producer writing one answer into a chat. */
export type RunRecord = {
  id: string;
  chatId: string;
  model: string;
  status: RunStatus;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; null while running. */
  endedAt: string | null;
  /** A short, safe description of why it failed; null unless status is error. */
  error: string | null;
};

/** Thrown by `createRun` when the chat already has a running run. */
export class ActiveRunExistsError extends Error {
  readonly chatId: string;

  constructor(chatId: string) {
    super(`Chat ${chatId} already has an active run.`);
    this.name = 'ActiveRunExistsError';
    this.chatId = chatId;
  }

  /**
   * By name, not `instanceof`: the store lives on globalThis and may have been created by another
   * server bundle (a page's) with its own copy of this class.
   */
  static is(error: unknown): error is ActiveRunExistsError {
    return error instanceof Error && error.name === 'ActiveRunExistsError';
  }
}

/**
 * Persistence for chats, their messages and their runs. SQLite (node:sqlite) is the embedded
 * backend; Postgres (`DATABASE_URL`) implements the same interface through the same query layer.
 */
export interface Store {
  /** The owner's chats, newest first by updatedAt. */
  listChats(ownerId: string): Promise<ChatSummary[]>;
  getChat(id: string): Promise<ChatRecord | null>;
  /** Creates the chat for this owner if it does not exist yet; returns it either way (check its ownerId). */
  ensureChat(id: string, ownerId: string, title: string): Promise<ChatRecord>;
  /** Deletes the chat, its messages and its runs; false when there was no such chat. */
  deleteChat(id: string): Promise<boolean>;
  /** Messages in the order they were first saved. */
  listMessages(chatId: string): Promise<ChatMessage[]>;
  /** The role of the chat's message with this id, or null when the chat has no such message. */
  messageRole(chatId: string, messageId: string): Promise<ChatMessage['role'] | null>;
  /** Inserts, or replaces the message with the same id in this chat (keeping its position). */
  saveMessage(chatId: string, message: ChatMessage): Promise<void>;
  /** Deletes every message saved after the given one (a retry replaces the answer that failed). */
  deleteMessagesAfter(chatId: string, messageId: string): Promise<void>;

  /**
   * ensureChat, then createRun for the chat's owner, as one statement where the database allows
   * (one round trip on Postgres). `run` is null, and nothing is started, when the chat belongs to
   * another owner (check `chat.ownerId`) or already has a running run.
   */
  ensureChatWithRun(input: { chatId: string; ownerId: string; title: string; run: { id: string; model: string } }): Promise<{
    chat: ChatRecord;
    run: RunRecord | null;
  }>;
  /** Records a new running run; throws ActiveRunExistsError when the chat has one (atomic across processes). */
  createRun(run: { id: string; chatId: string; model: string }): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | null>;
  /** The chat's running run, if any. */
  getActiveRun(chatId: string): Promise<RunRecord | null>;
  /** Every running run (to recover runs whose producer is gone). */
  listActiveRuns(): Promise<RunRecord[]>;
  /** Ends a running run; false (and nothing changed) when it had already ended. */
  finishRun(id: string, end: { status: Outcome; error?: string | null }): Promise<boolean>;

  /** Sets the chat's title (updatedAt stays); null when there is no such chat. */
  renameChat(id: string, title: string): Promise<ChatRecord | null>;
  /**
   * The owner's chats whose title, or the text of one message part, contains every word of `query`
   * (ignoring case), newest first, at most `limit`. Only text parts are searched: not JSON keys,
   * tool calls or metadata.
   */
  searchChats(ownerId: string, query: string, limit: number): Promise<ChatSearchHit[]>;

  close(): Promise<void>;
}

/**
 * A chat that `searchChats` found: `matchedText` is the text that matched, the first in an answer
 * or else the first in a question; null when only the title did.
 */
export type ChatSearchHit = ChatSummary & { matchedText: string | null };
