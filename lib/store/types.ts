import type { ChatMessage, Outcome } from '@/lib/chat/types';

export type ChatSummary = {
  id: string;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; moves when a message is saved. */
  updatedAt: string;
};

/** A chat with the identity that owns it and its active path (never sent to clients as such). */
export type ChatRecord = ChatSummary & {
  ownerId: string;
  /** The last message of the chat's active path (the branch it shows and answers on); null when it has none. */
  activeLeafId: string | null;
};

/** What a client may see of a chat: neither its owner nor its active leaf. */
export function chatSummary({ id, title, createdAt, updatedAt }: ChatRecord): ChatSummary {
  return { id, title, createdAt, updatedAt };
}

/** A saved message and its place in the chat's tree. */
export type MessageNode = {
  message: ChatMessage;
  /** The message it answers or follows; null for a first message. */
  parentId: string | null;
};

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
  /** The user message the run answers (null for runs recorded before conversations were trees). */
  replyTo: string | null;
};

/** A run to record: its answer goes below `replyTo`. */
export type NewRun = { id: string; model: string; replyTo: string };

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
  /** The messages of the chat's active path, first to last. */
  listMessages(chatId: string): Promise<ChatMessage[]>;
  /** Every message of the chat, on every branch, in the order they were first saved. */
  listMessageTree(chatId: string): Promise<MessageNode[]>;
  /** These messages of the chat (the ones it has), with their parents; in the order they were first saved. */
  findMessages(chatId: string, messageIds: readonly string[]): Promise<MessageNode[]>;
  /**
   * Inserts the message below `parentId` (omitted: below the chat's active leaf) and makes it the
   * active leaf; or, when the chat has a message with this id, replaces its content and keeps its
   * place in the tree (parent and order) and the active path as they are. Nothing is ever deleted.
   */
  saveMessage(chatId: string, message: ChatMessage, parentId?: string | null): Promise<void>;
  /** Makes the path that ends at this message of the chat active; false when the chat has no such message. */
  setActiveLeaf(chatId: string, messageId: string): Promise<boolean>;

  /**
   * ensureChat, then createRun for the chat's owner, as one statement where the database allows
   * (one round trip on Postgres). `run` is null, and nothing is started, when the chat belongs to
   * another owner (check `chat.ownerId`) or already has a running run.
   */
  ensureChatWithRun(input: { chatId: string; ownerId: string; title: string; run: NewRun }): Promise<{
    chat: ChatRecord;
    run: RunRecord | null;
  }>;
  /** Records a new running run; throws ActiveRunExistsError when the chat has one (atomic across processes). */
  createRun(run: NewRun & { chatId: string }): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | null>;
  /** The chat's running run, if any. */
  getActiveRun(chatId: string): Promise<RunRecord | null>;
  /** Every running run (to recover runs whose producer is gone). */
  listActiveRuns(): Promise<RunRecord[]>;
  /** Ends a running run; false (and nothing changed) when it had already ended. */
  finishRun(id: string, end: { status: Outcome; error?: string | null }): Promise<boolean>;

  /** Remembers that calls of `toolName` in this chat run without asking ("Always allow in this chat"). */
  allowToolInChat(chatId: string, toolName: string): Promise<void>;
  /** The tools allowed for the whole chat, by name. */
  listAllowedTools(chatId: string): Promise<string[]>;

  /** Sets the chat's title (updatedAt stays); null when there is no such chat. */
  renameChat(id: string, title: string): Promise<ChatRecord | null>;
  /**
   * The owner's chats whose title, or the text of one message part, contains every word of `query`
   * (ignoring case), newest first, at most `limit`. Only text parts are searched: not JSON keys,
   * tool calls or metadata.
   */
  searchChats(ownerId: string, query: string, limit: number): Promise<ChatSearchHit[]>;

  /**
   * Records the definitions of MCP tools as seen now (tool name → fingerprint): a tool seen for the
   * first time is pinned to its definition. Returns each of these tools' pinned fingerprint.
   */
  recordToolDefinitions(seen: Record<string, string>): Promise<Record<string, string>>;
  /** Pins each of these tools to its last seen definition; returns the names that changed. */
  acceptToolDefinitions(names: readonly string[]): Promise<string[]>;
  /** The tools whose last seen definition differs from their pin, by name. */
  listChangedTools(): Promise<string[]>;

  close(): Promise<void>;
}

/**
 * A chat that `searchChats` found: `matchedText` is the text that matched, the first in an answer
 * or else the first in a question; null when only the title did.
 */
export type ChatSearchHit = ChatSummary & { matchedText: string | null };
