import { pathTo } from '@/lib/chat/tree';
import type { ChatMessage, Outcome } from '@/lib/chat/types';
import { fullTextSearch, searchTerms, searchText, substringSearch } from '@/lib/store/search-sql';
import type { SqlDriver, SqlValue } from '@/lib/store/sql';
import {
  ActiveRunExistsError,
  type ChatRecord,
  type ChatSearchHit,
  type ChatSummary,
  type MessageNode,
  type NewRun,
  type RunRecord,
  type RunStatus,
  type Store,
} from '@/lib/store/types';

/**
 * The one query layer behind `Store`, over SQLite and Postgres. Timestamps are ISO-8601 UTC text, so text
 * order is time order; `messages.seq` is creation order per chat (a child after its parent); at most one
 * running run per chat is enforced by a unique partial index, so racing instances cannot both start one.
 */

type ChatRow = { id: string; owner_id: string; title: string; created_at: string; updated_at: string; active_leaf_id: string | null };
type MessageRow = { id: string; parent_id: string | null; role: string; parts: string; metadata: string | null };
type RunRow = {
  id: string;
  chat_id: string;
  model: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  error: string | null;
  reply_to: string | null;
};

const CHAT_COLUMNS = 'id, owner_id, title, created_at, updated_at, active_leaf_id';
const RUN_COLUMNS = 'id, chat_id, model, status, started_at, ended_at, error, reply_to';
const MESSAGE_COLUMNS = 'id, parent_id, role, parts, metadata';

/**
 * Inserts a chat and returns it; an existing chat of the same owner comes back through a no-op
 * update (DO NOTHING would return no row); another owner's chat returns no row. Params: id,
 * owner, title, created, updated.
 */
const UPSERT_OWN_CHAT = `INSERT INTO chats (id, owner_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET title = chats.title WHERE chats.owner_id = excluded.owner_id
  RETURNING ${CHAT_COLUMNS}`;

/**
 * Inserts a running run into the chat `source` selects, only if that chat exists and has no running
 * run (the unique partial index is the arbiter of ON CONFLICT). A duplicate run id is not covered by
 * DO NOTHING and fails loudly. Params: run id, model, started, reply to, then any of `source`.
 */
const insertRunInto = (source: string) => `INSERT INTO runs (id, chat_id, model, status, started_at, ended_at, error, reply_to)
  SELECT ?, id, ?, 'running', ?, NULL, NULL, ? FROM ${source}
  ON CONFLICT (chat_id) WHERE status = 'running' DO NOTHING`;

function checkChatIds(id: string, ownerId: string): void {
  if (id === '') throw new Error('A chat id must not be empty');
  // '' is the owner of chats made before owners existed: nobody may create more of those.
  if (ownerId === '') throw new Error('An owner id must not be empty');
}

function checkRunId(id: string): void {
  if (id === '') throw new Error('A run id must not be empty');
}

function runningRun(run: NewRun & { chatId: string }, startedAt: string): RunRecord {
  return {
    id: run.id,
    chatId: run.chatId,
    model: run.model,
    replyTo: run.replyTo,
    status: 'running',
    startedAt,
    endedAt: null,
    error: null,
  };
}

/** Longest `runs.error` kept: it is a short description, not a log. */
const MAX_RUN_ERROR_CHARS = 1000;

let lastTimestampMs = 0;

/**
 * Now, as ISO text, strictly increasing within this process (bumped by 1 ms on a tie), so that
 * "newest first" never depends on two writes landing in the same millisecond.
 */
function timestamp(): string {
  lastTimestampMs = Math.max(Date.now(), lastTimestampMs + 1);
  return new Date(lastTimestampMs).toISOString();
}

function toSummary(row: ChatRow): ChatSummary {
  return { id: row.id, title: row.title, createdAt: row.created_at, updatedAt: row.updated_at };
}

function toChat(row: ChatRow): ChatRecord {
  return { ...toSummary(row), ownerId: row.owner_id, activeLeafId: row.active_leaf_id };
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    chatId: row.chat_id,
    model: row.model,
    status: row.status as RunStatus,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    replyTo: row.reply_to,
  };
}

function toNode(row: MessageRow): MessageNode {
  const message: ChatMessage = {
    id: row.id,
    role: row.role as ChatMessage['role'],
    parts: JSON.parse(row.parts) as ChatMessage['parts'],
  };
  if (row.metadata !== null) message.metadata = JSON.parse(row.metadata) as ChatMessage['metadata'];
  return { message, parentId: row.parent_id };
}

export class SqlStore implements Store {
  private readonly db: SqlDriver;
  private isClosed = false;

  constructor(db: SqlDriver) {
    this.db = db;
  }

  /** True once `close()` was called; every method then rejects. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Summaries only: the owner id stays on the server. */
  async listChats(ownerId: string): Promise<ChatSummary[]> {
    const rows = await this.db.query<ChatRow>(
      `SELECT ${CHAT_COLUMNS} FROM chats WHERE owner_id = ? ORDER BY updated_at DESC, created_at DESC, id DESC`,
      [ownerId],
    );
    return rows.map(toSummary);
  }

  async getChat(id: string): Promise<ChatRecord | null> {
    const rows = await this.db.query<ChatRow>(`SELECT ${CHAT_COLUMNS} FROM chats WHERE id = ?`, [id]);
    const row = rows[0];
    return row ? toChat(row) : null;
  }

  async ensureChat(id: string, ownerId: string, title: string): Promise<ChatRecord> {
    checkChatIds(id, ownerId);
    // One statement whether the chat is new or not; only a chat of another owner needs a second read.
    const now = timestamp();
    const [row] = await this.db.query<ChatRow>(UPSERT_OWN_CHAT, [id, ownerId, title, now, now]);
    return row ? toChat(row) : this.chatOfAnotherOwner(id);
  }

  /** The chat that UPSERT_OWN_CHAT returned no row for: it exists and belongs to another owner. */
  private async chatOfAnotherOwner(id: string): Promise<ChatRecord> {
    const chat = await this.getChat(id);
    if (!chat) throw new Error(`Chat ${id} could not be created`);
    return chat;
  }

  async ensureChatWithRun(input: { chatId: string; ownerId: string; title: string; run: NewRun }): Promise<{
    chat: ChatRecord;
    run: RunRecord | null;
  }> {
    if (this.db.dialect === 'sqlite') {
      // Each statement runs at once, in process: two cost no more than one.
      const chat = await this.ensureChat(input.chatId, input.ownerId, input.title);
      if (chat.ownerId !== input.ownerId) return { chat, run: null };
      try {
        return { chat, run: await this.createRun({ ...input.run, chatId: chat.id }) };
      } catch (error) {
        if (ActiveRunExistsError.is(error)) return { chat, run: null };
        throw error;
      }
    }
    // Postgres: the statements of ensureChat and createRun as one, through data-modifying CTEs (not
    // portable SQL: SQLite has no INSERT inside WITH), with the same guarantees.
    checkChatIds(input.chatId, input.ownerId);
    checkRunId(input.run.id);
    const now = timestamp();
    const [row] = await this.db.query<ChatRow & { run_id: string | null }>(
      `WITH chat AS (${UPSERT_OWN_CHAT}), run AS (${insertRunInto('chat')} RETURNING id)
       SELECT ${CHAT_COLUMNS}, (SELECT id FROM run) AS run_id FROM chat`,
      [input.chatId, input.ownerId, input.title, now, now, input.run.id, input.run.model, now, input.run.replyTo],
    );
    if (!row) return { chat: await this.chatOfAnotherOwner(input.chatId), run: null };
    const chat = toChat(row);
    return { chat, run: row.run_id === null ? null : runningRun({ ...input.run, id: row.run_id, chatId: chat.id }, now) };
  }

  async deleteChat(id: string): Promise<boolean> {
    // Messages and runs go with it: both REFERENCES chats (id) ON DELETE CASCADE.
    const { changes } = await this.db.run('DELETE FROM chats WHERE id = ?', [id]);
    return changes > 0;
  }

  async listMessages(chatId: string): Promise<ChatMessage[]> {
    const [chat, nodes] = await Promise.all([this.getChat(chatId), this.listMessageTree(chatId)]);
    return chat?.activeLeafId ? pathTo(nodes, chat.activeLeafId).map((node) => node.message) : [];
  }

  async listMessageTree(chatId: string): Promise<MessageNode[]> {
    const rows = await this.db.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? ORDER BY seq`, [chatId]);
    return rows.map(toNode);
  }

  async findMessages(chatId: string, messageIds: readonly string[]): Promise<MessageNode[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.db.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? AND id IN (${messageIds.map(() => '?').join(', ')}) ORDER BY seq`,
      [chatId, ...messageIds],
    );
    return rows.map(toNode);
  }

  async saveMessage(chatId: string, message: ChatMessage, parentId?: string | null): Promise<void> {
    if (message.id === '') throw new Error('A message id must not be empty');
    const parent = parentId !== undefined ? parentId : ((await this.getChat(chatId))?.activeLeafId ?? null);
    const parts = JSON.stringify(message.parts);
    const metadata: SqlValue = message.metadata === undefined ? null : JSON.stringify(message.metadata);
    const now = timestamp();
    // The next seq comes from the UPDATE of the chat row, whose lock makes saves from several instances take
    // turns; it also goes past any seq above last_seq (rows written before migration 0003). No row: no chat.
    const nextSeq = `UPDATE chats SET updated_at = ?,
      last_seq = COALESCE((SELECT MAX(seq) FROM messages WHERE chat_id = chats.id AND seq > chats.last_seq), last_seq) + 1,
      active_leaf_id = CASE WHEN EXISTS (SELECT 1 FROM messages WHERE chat_id = chats.id AND id = ?) THEN active_leaf_id ELSE ? END
      WHERE id = ? RETURNING id, last_seq`;
    const upsert = (
      rows: string,
    ) => `INSERT INTO messages (chat_id, id, seq, role, parts, metadata, created_at, parent_id, search_text) ${rows}
      ON CONFLICT (chat_id, id) DO UPDATE SET role = excluded.role, parts = excluded.parts, metadata = excluded.metadata, search_text = excluded.search_text`;
    const content = [message.role, parts, metadata, now, parent, searchText(message)];
    const chatParams = [now, message.id, message.id, chatId];
    let saved: { changes: number };
    if (this.db.dialect === 'postgres') {
      // One statement, one round trip (not BEGIN, two statements and COMMIT): a data-modifying CTE.
      saved = await this.db.run(`WITH chat AS (${nextSeq}) ${upsert('SELECT id, ?, last_seq, ?, ?, ?, ?, ?, ? FROM chat')}`, [
        ...chatParams,
        message.id,
        ...content,
      ]);
    } else {
      saved = await this.db.transaction(async (tx) => {
        const [chat] = await tx.query<{ id: string; last_seq: number }>(nextSeq, chatParams);
        return chat
          ? tx.run(upsert('VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'), [chat.id, message.id, chat.last_seq, ...content])
          : { changes: 0 };
      });
    }
    if (saved.changes === 0) throw new Error(`Unknown chat: ${chatId}`);
  }

  async setActiveLeaf(chatId: string, messageId: string): Promise<boolean> {
    // updated_at moves: another tab's idle poll sees the change and shows the new path.
    const { changes } = await this.db.run(
      `UPDATE chats SET active_leaf_id = ?, updated_at = ? WHERE id = ? AND EXISTS (SELECT 1 FROM messages WHERE chat_id = ? AND id = ?)`,
      [messageId, timestamp(), chatId, chatId, messageId],
    );
    return changes > 0;
  }

  async createRun(run: NewRun & { chatId: string }): Promise<RunRecord> {
    checkRunId(run.id);
    const startedAt = timestamp();
    // One statement, so atomic in both databases. The WHERE clause also keeps SQLite from reading
    // ON CONFLICT as a join constraint.
    const { changes } = await this.db.run(insertRunInto('chats WHERE id = ?'), [run.id, run.model, startedAt, run.replyTo, run.chatId]);
    if (changes === 0) {
      if (!(await this.getChat(run.chatId))) throw new Error(`Unknown chat: ${run.chatId}`);
      throw new ActiveRunExistsError(run.chatId);
    }
    return runningRun(run, startedAt);
  }

  async getRun(id: string): Promise<RunRecord | null> {
    const rows = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`, [id]);
    const row = rows[0];
    return row ? toRun(row) : null;
  }

  async getActiveRun(chatId: string): Promise<RunRecord | null> {
    const rows = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE chat_id = ? AND status = 'running'`, [chatId]);
    const row = rows[0];
    return row ? toRun(row) : null;
  }

  /** Oldest first. */
  async listActiveRuns(): Promise<RunRecord[]> {
    const rows = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE status = 'running' ORDER BY started_at, id`);
    return rows.map(toRun);
  }

  /** `error` is kept only for status `error` (at most MAX_RUN_ERROR_CHARS of it). */
  async finishRun(id: string, end: { status: Outcome; error?: string | null }): Promise<boolean> {
    const error = end.status === 'error' && end.error ? end.error.slice(0, MAX_RUN_ERROR_CHARS) : null;
    // Only a running run changes: of two instances finishing the same run, one wins.
    const { changes } = await this.db.run(`UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ? AND status = 'running'`, [
      end.status,
      timestamp(),
      error,
      id,
    ]);
    return changes > 0;
  }

  async renameChat(id: string, title: string): Promise<ChatRecord | null> {
    const [row] = await this.db.query<ChatRow>(`UPDATE chats SET title = ? WHERE id = ? RETURNING ${CHAT_COLUMNS}`, [title, id]);
    return row ? toChat(row) : null;
  }

  /**
   * `LIKE` on the title and each text part's `text` read out of the JSON (so keys never match), over the owner's
   * chats only and with no text index: one person's history is small enough to scan.
   */
  async searchChats(ownerId: string, query: string, limit: number): Promise<ChatSearchHit[]> {
    const terms = searchTerms(query);
    if (terms.length === 0 || limit < 1) return [];
    const search = this.db.dialect === 'postgres' ? fullTextSearch : substringSearch;
    const { sql, params } = search(ownerId, terms, limit);
    const rows = await this.db.query<ChatRow & { matched_text: string | null }>(sql, params);
    return rows.map((row) => ({ ...toSummary(row), matchedText: row.matched_text }));
  }

  async allowToolInChat(chatId: string, toolName: string): Promise<void> {
    await this.db.run('INSERT INTO chat_tool_grants (chat_id, tool_name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
      chatId,
      toolName,
      timestamp(),
    ]);
  }

  async listAllowedTools(chatId: string): Promise<string[]> {
    const rows = await this.db.query<{ tool_name: string }>('SELECT tool_name FROM chat_tool_grants WHERE chat_id = ? ORDER BY tool_name', [
      chatId,
    ]);
    return rows.map((row) => row.tool_name);
  }

  async recordToolDefinitions(seen: Record<string, string>): Promise<Record<string, string>> {
    const pinned: Record<string, string> = {};
    const now = timestamp();
    for (const [name, fingerprint] of Object.entries(seen)) {
      const [row] = await this.db.query<{ pinned_fingerprint: string }>(
        `INSERT INTO mcp_tool_pins (name, pinned_fingerprint, seen_fingerprint, pinned_at, seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET seen_fingerprint = excluded.seen_fingerprint, seen_at = excluded.seen_at
         RETURNING pinned_fingerprint`,
        [name, fingerprint, fingerprint, now, now],
      );
      if (row) pinned[name] = row.pinned_fingerprint;
    }
    return pinned;
  }

  async acceptToolDefinitions(names: readonly string[]): Promise<string[]> {
    const accepted: string[] = [];
    for (const name of names) {
      const { changes } = await this.db.run(
        `UPDATE mcp_tool_pins SET pinned_fingerprint = seen_fingerprint, pinned_at = ? WHERE name = ? AND pinned_fingerprint <> seen_fingerprint`,
        [timestamp(), name],
      );
      if (changes > 0) accepted.push(name);
    }
    return accepted;
  }

  async listChangedTools(): Promise<string[]> {
    const rows = await this.db.query<{ name: string }>(
      'SELECT name FROM mcp_tool_pins WHERE pinned_fingerprint <> seen_fingerprint ORDER BY name',
    );
    return rows.map((row) => row.name);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.db.close();
  }
}
