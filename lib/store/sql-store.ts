import type { ChatMessage } from '@/lib/chat/types';
import type { SqlDriver, SqlValue } from '@/lib/store/sql';
import type { ChatSummary, Store } from '@/lib/store/types';

/**
 * The one query layer behind `Store`, over any `SqlDriver` (SQLite now, Postgres next).
 *
 * - Timestamps are ISO-8601 UTC text with milliseconds (`2025-01-31T12:00:00.000Z`), made here in
 *   JavaScript, so text order is time order in both databases.
 * - Message order is `messages.seq`: 1, 2, 3… per chat, given on first save (max + 1) and kept
 *   when the same id is saved again. `deleteMessagesAfter` removes every seq above the given one.
 * - Parts and metadata are stored as JSON text; metadata is NULL when the message has none.
 */

type ChatRow = { id: string; title: string; created_at: string; updated_at: string };
type MessageRow = { id: string; role: string; parts: string; metadata: string | null };

const CHAT_COLUMNS = 'id, title, created_at, updated_at';

let lastTimestampMs = 0;

/**
 * Now, as ISO text, strictly increasing within this process (bumped by 1 ms on a tie), so that
 * "newest first" never depends on two writes landing in the same millisecond.
 */
function timestamp(): string {
  lastTimestampMs = Math.max(Date.now(), lastTimestampMs + 1);
  return new Date(lastTimestampMs).toISOString();
}

function toChat(row: ChatRow): ChatSummary {
  return { id: row.id, title: row.title, createdAt: row.created_at, updatedAt: row.updated_at };
}

function toMessage(row: MessageRow): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    role: row.role as ChatMessage['role'],
    parts: JSON.parse(row.parts) as ChatMessage['parts'],
  };
  if (row.metadata !== null) message.metadata = JSON.parse(row.metadata) as ChatMessage['metadata'];
  return message;
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

  async listChats(): Promise<ChatSummary[]> {
    const rows = await this.db.query<ChatRow>(
      `SELECT ${CHAT_COLUMNS} FROM chats ORDER BY updated_at DESC, created_at DESC, id DESC`,
    );
    return rows.map(toChat);
  }

  async getChat(id: string): Promise<ChatSummary | null> {
    const rows = await this.db.query<ChatRow>(`SELECT ${CHAT_COLUMNS} FROM chats WHERE id = ?`, [id]);
    const row = rows[0];
    return row ? toChat(row) : null;
  }

  async ensureChat(id: string, title: string): Promise<ChatSummary> {
    if (id === '') throw new Error('A chat id must not be empty');
    return this.db.transaction(async (tx) => {
      const now = timestamp();
      await tx.run(
        `INSERT INTO chats (id, title, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        [id, title, now, now],
      );
      const rows = await tx.query<ChatRow>(`SELECT ${CHAT_COLUMNS} FROM chats WHERE id = ?`, [id]);
      const row = rows[0];
      if (!row) throw new Error(`Chat ${id} could not be created`);
      return toChat(row);
    });
  }

  async deleteChat(id: string): Promise<boolean> {
    // Messages go with it: messages.chat_id REFERENCES chats ON DELETE CASCADE.
    const { changes } = await this.db.run('DELETE FROM chats WHERE id = ?', [id]);
    return changes > 0;
  }

  async listMessages(chatId: string): Promise<ChatMessage[]> {
    const rows = await this.db.query<MessageRow>(
      'SELECT id, role, parts, metadata FROM messages WHERE chat_id = ? ORDER BY seq',
      [chatId],
    );
    return rows.map(toMessage);
  }

  async saveMessage(chatId: string, message: ChatMessage): Promise<void> {
    if (message.id === '') throw new Error('A message id must not be empty');
    const parts = JSON.stringify(message.parts);
    const metadata: SqlValue = message.metadata === undefined ? null : JSON.stringify(message.metadata);
    await this.db.transaction(async (tx) => {
      const now = timestamp();
      // First, so that it fails for an unknown chat, and (Postgres) locks the chat row: saves
      // into one chat from several instances then take turns at computing the next seq.
      const bumped = await tx.run('UPDATE chats SET updated_at = ? WHERE id = ?', [now, chatId]);
      if (bumped.changes === 0) throw new Error(`Unknown chat: ${chatId}`);

      const replaced = await tx.run(
        'UPDATE messages SET role = ?, parts = ?, metadata = ? WHERE chat_id = ? AND id = ?',
        [message.role, parts, metadata, chatId, message.id],
      );
      if (replaced.changes > 0) return;

      const [last] = await tx.query<{ seq: number | string | null }>(
        'SELECT MAX(seq) AS seq FROM messages WHERE chat_id = ?',
        [chatId],
      );
      const seq = Number(last?.seq ?? 0) + 1;
      await tx.run(
        'INSERT INTO messages (chat_id, id, seq, role, parts, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [chatId, message.id, seq, message.role, parts, metadata, now],
      );
    });
  }

  async deleteMessagesAfter(chatId: string, messageId: string): Promise<void> {
    // An unknown message id deletes nothing (the subquery is NULL, and seq > NULL is never true).
    await this.db.run(
      'DELETE FROM messages WHERE chat_id = ? AND seq > (SELECT seq FROM messages WHERE chat_id = ? AND id = ?)',
      [chatId, chatId, messageId],
    );
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.db.close();
  }
}
