import type { SqlDialect, SqlDriver } from '@/lib/store/sql';
import { fillSearchText, MESSAGE_TEXT_INDEX } from '@/lib/store/search-sql';

/**
 * The schema as ordered migrations, portable SQL run unchanged on SQLite and Postgres. Append only, with ids
 * that sort last (`NNNN_what`); plain `CREATE`, as each runs once, in a transaction with its `schema_migrations` row.
 */
export type Migration = {
  id: string;
  statements: readonly string[];
  /** Runs on this dialect only (an index only it has); recorded as applied on both. */
  only?: SqlDialect;
  /** Rewrites rows after the statements, where SQL alone cannot (the same code that writes new rows). */
  fill?: (tx: SqlDriver) => Promise<void>;
};

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_chats_and_messages',
    statements: [
      `CREATE TABLE chats (
        id TEXT NOT NULL PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX chats_updated_at_idx ON chats (updated_at)`,
      // seq: the message's place in its chat, 1, 2, 3…; set on first save, kept on replace.
      `CREATE TABLE messages (
        chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        parts TEXT NOT NULL,
        metadata TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, id)
      )`,
      `CREATE UNIQUE INDEX messages_chat_seq_idx ON messages (chat_id, seq)`,
    ],
  },
  {
    id: '0002_owners_and_runs',
    statements: [
      // Chats made before owners existed belong to '' (nobody): no identity lists or opens them.
      `ALTER TABLE chats ADD COLUMN owner_id TEXT NOT NULL DEFAULT ''`,
      // listChats(owner) is the only listing: it replaces the index on updated_at alone.
      `DROP INDEX chats_updated_at_idx`,
      `CREATE INDEX chats_owner_updated_at_idx ON chats (owner_id, updated_at)`,
      // status: 'running' until finished, then the outcome. ended_at and error are NULL while running.
      `CREATE TABLE runs (
        id TEXT NOT NULL PRIMARY KEY,
        chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        error TEXT
      )`,
      `CREATE INDEX runs_chat_started_at_idx ON runs (chat_id, started_at)`,
      // At most one running run per chat, enforced by the database itself, so that it holds across
      // processes and instances. createRun inserts against it; listActiveRuns scans it.
      `CREATE UNIQUE INDEX runs_one_running_per_chat_idx ON runs (chat_id) WHERE status = 'running'`,
    ],
  },
  {
    id: '0003_chats_last_seq',
    statements: [
      // The next message takes last_seq + 1 in the statement that locks the chat row, so no older snapshot
      // decides it; 0 for existing chats, as saveMessage then goes after their highest seq.
      `ALTER TABLE chats ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0`,
    ],
  },
  {
    id: '0004_message_tree',
    statements: [
      // Conversations are trees: a message follows its parent (NULL for a first message), and the
      // chat shows the path that ends at its active leaf. The chats there are become one branch:
      // each message follows the one saved before it, and the last one is the leaf.
      `ALTER TABLE messages ADD COLUMN parent_id TEXT`,
      `ALTER TABLE chats ADD COLUMN active_leaf_id TEXT`,
      `UPDATE messages SET parent_id = (
        SELECT earlier.id FROM messages earlier
        WHERE earlier.chat_id = messages.chat_id AND earlier.seq < messages.seq
        ORDER BY earlier.seq DESC LIMIT 1
      )`,
      `UPDATE chats SET active_leaf_id = (SELECT id FROM messages WHERE chat_id = chats.id ORDER BY seq DESC LIMIT 1)`,
      // The user message a run answers: its answer goes below it, even if the run's producer dies.
      `ALTER TABLE runs ADD COLUMN reply_to TEXT`,
    ],
  },
  {
    // What chat search reads of each message: its text parts only (see `searchText`).
    id: '0005_message_search_text',
    statements: [`ALTER TABLE messages ADD COLUMN search_text TEXT`],
    fill: fillSearchText,
  },
  {
    // Postgres finds chats with full text search (see `fullTextSearch`); SQLite matches substrings.
    id: '0006_postgres_text_search',
    only: 'postgres',
    statements: [MESSAGE_TEXT_INDEX],
  },
  {
    id: '0007_mcp_tool_pins',
    statements: [
      // The definition (fingerprint of description, input schema and title) of each MCP tool as
      // first seen, and as last seen. They differ after a server changed a tool: the tool then asks
      // before every call until an operator pins it to what was seen (npm run mcp:accept).
      `CREATE TABLE mcp_tool_pins (
        name TEXT NOT NULL PRIMARY KEY,
        pinned_fingerprint TEXT NOT NULL,
        seen_fingerprint TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        seen_at TEXT NOT NULL
      )`,
    ],
  },
  {
    id: '0008_chat_tool_grants',
    statements: [
      // "Always allow in this chat": the tools whose calls in this chat run without asking again.
      `CREATE TABLE chat_tool_grants (
        chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
        tool_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, tool_name)
      )`,
    ],
  },
];

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id TEXT NOT NULL PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

/** An arbitrary constant: the Postgres advisory lock that serializes migrating processes. */
const POSTGRES_MIGRATION_LOCK_KEY = 727_368_201;

/**
 * Makes concurrent migrators wait for each other: SQLite's `BEGIN IMMEDIATE` already takes the write lock;
 * Postgres takes an advisory lock, or two processes could both apply a pending migration.
 */
async function lockForMigration(tx: SqlDriver, dialect: SqlDialect): Promise<void> {
  if (dialect === 'postgres') {
    await tx.query('SELECT pg_advisory_xact_lock(?)', [POSTGRES_MIGRATION_LOCK_KEY]);
  }
}

function checkMigrations(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  let previous = '';
  for (const migration of migrations) {
    if (seen.has(migration.id)) throw new Error(`Duplicate migration id: ${migration.id}`);
    if (migration.id <= previous) throw new Error(`Migration ids must sort in order: ${migration.id} after ${previous}`);
    seen.add(migration.id);
    previous = migration.id;
  }
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each in its own
 * transaction. Safe to run at every start and from several processes at once. Returns the ids it
 * applied (empty when the schema was already current).
 */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  checkMigrations(migrations);
  await driver.transaction(async (tx) => {
    await lockForMigration(tx, driver.dialect);
    await tx.run(CREATE_MIGRATIONS_TABLE);
  });

  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await driver.transaction(async (tx) => {
      await lockForMigration(tx, driver.dialect);
      const done = await tx.query<{ id: string }>('SELECT id FROM schema_migrations WHERE id = ?', [migration.id]);
      if (done.length > 0) return false;
      if (migration.only === undefined || migration.only === driver.dialect) {
        for (const statement of migration.statements) await tx.run(statement);
        await migration.fill?.(tx);
      }
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [migration.id, new Date().toISOString()]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}
