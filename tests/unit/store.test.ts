import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@/lib/chat/types';
import { closeStore, getStore, openSqliteStore } from '@/lib/store';
import { MIGRATIONS, migrate } from '@/lib/store/migrations';
import { toPostgresPlaceholders, type SqlDriver } from '@/lib/store/sql';
import { SqlStore } from '@/lib/store/sql-store';
import { openSqliteDriver } from '@/lib/store/sqlite';
import type { Store } from '@/lib/store/types';

/** One empty database of the backend under test; open as many stores / raw drivers on it as needed. */
export type StoreDatabase = {
  /** A migrated store on this database. */
  openStore(): Promise<Store>;
  /** A raw driver on this database (migrations not applied by this call). */
  openDriver(): Promise<SqlDriver>;
};

/** A backend under test: provisions a fresh database per test (a temp file, a new schema…). */
export type StoreBackend = {
  newDatabase(): Promise<StoreDatabase>;
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function text(id: string, body: string, role: ChatMessage['role'] = 'user'): ChatMessage {
  return { id, role, parts: [{ type: 'text', text: body }] };
}

/** An assistant message with most kinds of part, nested JSON and full metadata. */
function richAssistantMessage(id: string): ChatMessage {
  return {
    id,
    role: 'assistant',
    metadata: {
      model: 'offline:maestro',
      createdAt: 1_735_689_600_000,
      ttftMs: 12.5,
      durationMs: 420,
      usage: { inputTokens: 31, outputTokens: 7 },
      outcome: 'complete',
      toolDurationsMs: { 'call-1': 3 },
    },
    parts: [
      { type: 'step-start' },
      { type: 'reasoning', text: 'Let me compute that.', state: 'done' },
      {
        type: 'dynamic-tool',
        toolName: 'calculator',
        toolCallId: 'call-1',
        state: 'output-available',
        input: { expression: '2 * (3 + 4)', nested: { list: [1, 'two', null, true, { deep: [] }] } },
        output: { result: 14, exact: '14', unicode: 'π ≈ 3.14159 🧮' },
      },
      {
        type: 'dynamic-tool',
        toolName: 'read_file',
        toolCallId: 'call-2',
        state: 'output-error',
        input: { path: 'missing.txt' },
        errorText: 'ENOENT: no such file',
      },
      { type: 'step-start' },
      { type: 'text', text: '2 × (3 + 4) = **14**', state: 'done' },
      { type: 'source-url', sourceId: 's1', url: 'https://example.com/?q=a&b="c"', title: 'Example' },
      {
        type: 'data-status',
        id: 'status',
        data: { phase: 'done', label: 'Done', step: 2, elapsedMs: 420 },
      },
    ],
  };
}

async function ids(store: Store, chatId: string): Promise<string[]> {
  return (await store.listMessages(chatId)).map((message) => message.id);
}

/**
 * The behaviour every `Store` backend must have. Run it once per backend:
 * `describeStoreContract('sqlite', sqliteBackend)`, later `describeStoreContract('postgres', …)`.
 */
export function describeStoreContract(name: string, backend: StoreBackend): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Array<Store | SqlDriver> = [];
    let database: StoreDatabase;

    const open = async (db: StoreDatabase = database): Promise<Store> => {
      const store = await db.openStore();
      opened.push(store);
      return store;
    };
    const openDriver = async (db: StoreDatabase = database): Promise<SqlDriver> => {
      const driver = await db.openDriver();
      opened.push(driver);
      return driver;
    };

    afterEach(async () => {
      // Closing twice is allowed, so tests may close their own stores too.
      await Promise.all(opened.splice(0).map((handle) => handle.close()));
    });

    async function fresh(): Promise<Store> {
      database = await backend.newDatabase();
      return open();
    }

    describe('migrations', () => {
      it('records every migration in schema_migrations, in order', async () => {
        await fresh();
        const driver = await openDriver();
        const rows = await driver.query<{ id: string; applied_at: string }>(
          'SELECT id, applied_at FROM schema_migrations ORDER BY id',
        );
        expect(rows.map((row) => row.id)).toEqual(MIGRATIONS.map((migration) => migration.id));
        for (const row of rows) expect(row.applied_at).toMatch(ISO);
      });

      it('is idempotent: reopening and migrating again applies nothing', async () => {
        const first = await fresh();
        await first.ensureChat('c1', 'Kept');
        await first.close();
        const second = await open();
        const third = await open(); // the same database open twice at once
        expect(await second.getChat('c1')).toMatchObject({ title: 'Kept' });
        expect(await third.getChat('c1')).toMatchObject({ title: 'Kept' });

        const driver = await openDriver();
        expect(await migrate(driver)).toEqual([]);
        const rows = await driver.query<{ id: string }>('SELECT id FROM schema_migrations');
        expect(rows).toHaveLength(MIGRATIONS.length);
      });

      it('survives several stores migrating the same new database at once', async () => {
        database = await backend.newDatabase();
        const stores = await Promise.all([open(), open(), open(), open()]);
        await Promise.all(stores.map((store, i) => store.ensureChat(`c${i}`, `Chat ${i}`)));
        expect(await stores[0]!.listChats()).toHaveLength(4);
        const driver = await openDriver();
        const rows = await driver.query<{ id: string }>('SELECT id FROM schema_migrations');
        expect(rows).toHaveLength(MIGRATIONS.length);
      });

      it('applies a later migration once, and only the new one', async () => {
        await fresh();
        const driver = await openDriver();
        const extra = [
          ...MIGRATIONS,
          { id: '9999_test_extra', statements: ['CREATE TABLE test_extra (id TEXT NOT NULL PRIMARY KEY)'] },
        ];
        expect(await migrate(driver, extra)).toEqual(['9999_test_extra']);
        expect(await migrate(driver, extra)).toEqual([]);
        await driver.run('INSERT INTO test_extra (id) VALUES (?)', ['x']);
        expect(await driver.query('SELECT id FROM test_extra')).toEqual([{ id: 'x' }]);
      });

      it('rolls back a failing migration entirely and does not record it', async () => {
        await fresh();
        const driver = await openDriver();
        const broken = [
          ...MIGRATIONS,
          {
            id: '9999_broken',
            statements: ['CREATE TABLE half_done (id TEXT NOT NULL PRIMARY KEY)', 'THIS IS NOT SQL'],
          },
        ];
        await expect(migrate(driver, broken)).rejects.toThrow();
        const recorded = await driver.query('SELECT id FROM schema_migrations WHERE id = ?', ['9999_broken']);
        expect(recorded).toEqual([]);
        // The table of the first statement was rolled back with it: creating it again works.
        await driver.run('CREATE TABLE half_done (id TEXT NOT NULL PRIMARY KEY)');
      });

      it('rejects duplicate or out-of-order migration ids', async () => {
        await fresh();
        const driver = await openDriver();
        const first = MIGRATIONS[0]!;
        await expect(migrate(driver, [first, first])).rejects.toThrow(/Duplicate/);
        await expect(migrate(driver, [{ id: '9999_z', statements: [] }, first])).rejects.toThrow(/order/);
      });
    });

    describe('chats', () => {
      it('ensureChat creates once and keeps the original title', async () => {
        const store = await fresh();
        const created = await store.ensureChat('c1', 'First title');
        expect(created).toEqual({ id: 'c1', title: 'First title', createdAt: expect.stringMatching(ISO), updatedAt: created.createdAt });
        const again = await store.ensureChat('c1', 'Second title');
        expect(again).toEqual(created);
        expect(await store.getChat('c1')).toEqual(created);
        expect(await store.listChats()).toEqual([created]);
      });

      it('getChat is null for an unknown chat', async () => {
        const store = await fresh();
        expect(await store.getChat('nope')).toBeNull();
        await store.ensureChat('c1', 'One');
        expect(await store.getChat('nope')).toBeNull();
        expect(await store.getChat('C1')).toBeNull(); // ids are case-sensitive
      });

      it('listChats is newest first by updatedAt, and saving a message bumps updatedAt', async () => {
        const store = await fresh();
        expect(await store.listChats()).toEqual([]);
        const a = await store.ensureChat('a', 'A');
        const b = await store.ensureChat('b', 'B');
        const c = await store.ensureChat('c', 'C');
        expect((await store.listChats()).map((chat) => chat.id)).toEqual(['c', 'b', 'a']);
        expect(b.createdAt > a.createdAt).toBe(true);
        expect(c.createdAt > b.createdAt).toBe(true);

        await store.saveMessage('a', text('m1', 'hello'));
        const chats = await store.listChats();
        expect(chats.map((chat) => chat.id)).toEqual(['a', 'c', 'b']);
        const bumped = chats[0]!;
        expect(bumped.createdAt).toBe(a.createdAt);
        expect(bumped.updatedAt > a.updatedAt).toBe(true);
        expect(bumped.updatedAt > c.updatedAt).toBe(true);
        expect(bumped.updatedAt).toMatch(ISO);
        expect(new Date(bumped.updatedAt).toISOString()).toBe(bumped.updatedAt);

        // Replacing a message bumps it too.
        await store.saveMessage('b', text('m1', 'hi'));
        await store.saveMessage('a', text('m1', 'hello again'));
        expect((await store.listChats()).map((chat) => chat.id)).toEqual(['a', 'b', 'c']);
        // ensureChat on an existing chat does not.
        await store.ensureChat('c', 'C');
        expect((await store.listChats()).map((chat) => chat.id)).toEqual(['a', 'b', 'c']);
      });

      it('deleteChat removes the chat and its messages; false for an unknown chat', async () => {
        const store = await fresh();
        await store.ensureChat('a', 'A');
        await store.ensureChat('b', 'B');
        await store.saveMessage('a', text('m1', 'one'));
        await store.saveMessage('a', text('m2', 'two'));
        await store.saveMessage('b', text('m1', 'other chat'));

        expect(await store.deleteChat('a')).toBe(true);
        expect(await store.getChat('a')).toBeNull();
        expect(await store.listMessages('a')).toEqual([]);
        expect((await store.listChats()).map((chat) => chat.id)).toEqual(['b']);
        expect(await ids(store, 'b')).toEqual(['m1']);
        // The rows are gone from the table, not just hidden (ON DELETE CASCADE).
        const driver = await openDriver();
        expect(await driver.query('SELECT id FROM messages WHERE chat_id = ?', ['a'])).toEqual([]);

        expect(await store.deleteChat('a')).toBe(false);
        expect(await store.deleteChat('never-existed')).toBe(false);

        // The same id can be created again, empty.
        await store.ensureChat('a', 'A again');
        expect(await store.getChat('a')).toMatchObject({ title: 'A again' });
        expect(await store.listMessages('a')).toEqual([]);
      });
    });

    describe('messages', () => {
      it('round-trips parts and metadata exactly', async () => {
        const store = await fresh();
        await store.ensureChat('c1', 'Chat');
        const user = text('u1', 'What is 2 * (3 + 4)?');
        const assistant = richAssistantMessage('a1');
        const withEmptyMetadata: ChatMessage = { id: 'a2', role: 'assistant', metadata: {}, parts: [] };
        await store.saveMessage('c1', user);
        await store.saveMessage('c1', assistant);
        await store.saveMessage('c1', withEmptyMetadata);

        const messages = await store.listMessages('c1');
        expect(messages).toStrictEqual([user, assistant, withEmptyMetadata]);
        // No metadata saved: no metadata key read back.
        expect(Object.keys(messages[0]!)).not.toContain('metadata');
      });

      it('lists messages in the order they were first saved', async () => {
        const store = await fresh();
        await store.ensureChat('c1', 'Chat');
        const order = ['z', 'a', 'm', 'b', 'y', '10', '9'];
        for (const id of order) await store.saveMessage('c1', text(id, `message ${id}`));
        expect(await ids(store, 'c1')).toEqual(order);
      });

      it('replaces a message with the same id in place, without moving it', async () => {
        const store = await fresh();
        await store.ensureChat('c1', 'Chat');
        await store.saveMessage('c1', text('u1', 'question'));
        await store.saveMessage('c1', { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'partial…' }] });
        await store.saveMessage('c1', text('u2', 'follow-up'));

        const final = richAssistantMessage('a1');
        await store.saveMessage('c1', final);
        const messages = await store.listMessages('c1');
        expect(messages.map((message) => message.id)).toEqual(['u1', 'a1', 'u2']);
        expect(messages[1]).toStrictEqual(final);

        // Replacing with no metadata clears it.
        const cleared: ChatMessage = { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'final' }] };
        await store.saveMessage('c1', cleared);
        const again = await store.listMessages('c1');
        expect(again).toHaveLength(3);
        expect(again[1]).toStrictEqual(cleared);
      });

      it('keeps the same message id in two chats independent', async () => {
        const store = await fresh();
        await store.ensureChat('a', 'A');
        await store.ensureChat('b', 'B');
        await store.saveMessage('a', text('m1', 'in A'));
        await store.saveMessage('a', text('m2', 'second in A'));
        await store.saveMessage('b', text('m2', 'first in B'));
        await store.saveMessage('b', text('m1', 'second in B'));

        await store.saveMessage('a', text('m1', 'in A, replaced'));
        expect(await store.listMessages('a')).toStrictEqual([text('m1', 'in A, replaced'), text('m2', 'second in A')]);
        expect(await store.listMessages('b')).toStrictEqual([text('m2', 'first in B'), text('m1', 'second in B')]);

        await store.deleteMessagesAfter('b', 'm2');
        expect(await ids(store, 'a')).toEqual(['m1', 'm2']);
        expect(await ids(store, 'b')).toEqual(['m2']);
      });

      it('deleteMessagesAfter deletes every later message, and new ones append after', async () => {
        const store = await fresh();
        await store.ensureChat('c1', 'Chat');
        for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) await store.saveMessage('c1', text(id, id));

        await store.deleteMessagesAfter('c1', 'unknown');
        expect(await ids(store, 'c1')).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
        await store.deleteMessagesAfter('c1', 'm5');
        expect(await ids(store, 'c1')).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
        await store.deleteMessagesAfter('other-chat', 'm2');
        expect(await ids(store, 'c1')).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);

        await store.deleteMessagesAfter('c1', 'm2');
        expect(await ids(store, 'c1')).toEqual(['m1', 'm2']);

        // A retry: the answer is saved again (same id as a deleted one), then a new message.
        await store.saveMessage('c1', text('m3', 'retried', 'assistant'));
        await store.saveMessage('c1', text('m6', 'next'));
        expect(await ids(store, 'c1')).toEqual(['m1', 'm2', 'm3', 'm6']);
        expect((await store.listMessages('c1'))[2]).toStrictEqual(text('m3', 'retried', 'assistant'));

        await store.deleteMessagesAfter('c1', 'm1');
        expect(await ids(store, 'c1')).toEqual(['m1']);
      });

      it('rejects a message for an unknown chat and saves nothing', async () => {
        const store = await fresh();
        await expect(store.saveMessage('ghost', text('m1', 'hello'))).rejects.toThrow(/ghost/);
        expect(await store.listMessages('ghost')).toEqual([]);
        expect(await store.listChats()).toEqual([]);
      });

      it('keeps every message when many are saved concurrently', async () => {
        const store = await fresh();
        await store.ensureChat('c1', 'Chat');
        const wanted = Array.from({ length: 25 }, (_, i) => `m${i}`);
        await Promise.all(wanted.map((id) => store.saveMessage('c1', text(id, id))));
        const got = await ids(store, 'c1');
        expect([...got].sort()).toEqual([...wanted].sort());
      });

      it('keeps unicode, emoji, control characters and large text intact', async () => {
        const store = await fresh();
        const title = 'Ünïcödé 🚀👩‍👩‍👧‍👦 مرحبا 漢字 e\u0301 "quotes" \'single\' \\ back\nslash';
        await store.ensureChat('chat-🚀', title);
        expect(await store.getChat('chat-🚀')).toMatchObject({ id: 'chat-🚀', title });

        const large = 'Lorem ipsum dolor sit amet, 🧪 ünïcödé. '.repeat(50_000); // ~2 MB
        const tricky = 'nul:\u0000 bell:\u0007 lone surrogate:\ud800 bom:\ufeff tab:\t crlf:\r\n sql: \'; DROP TABLE chats; --';
        const message: ChatMessage = {
          id: 'msg-✨',
          role: 'assistant',
          metadata: { model: 'local:llama3.2 🦙' },
          parts: [
            { type: 'text', text: large },
            { type: 'text', text: tricky },
          ],
        };
        await store.saveMessage('chat-🚀', message);
        const [read] = await store.listMessages('chat-🚀');
        expect(read?.parts[0]).toStrictEqual({ type: 'text', text: large });
        expect(read?.parts[1]).toStrictEqual({ type: 'text', text: tricky });
        expect(read).toStrictEqual(message);
      });
    });

    describe('lifetime', () => {
      it('keeps everything after close and reopen', async () => {
        const store = await fresh();
        await store.ensureChat('a', 'A');
        await store.ensureChat('b', 'B');
        await store.saveMessage('a', text('m1', 'one'));
        await store.saveMessage('a', richAssistantMessage('m2'));
        await store.saveMessage('b', text('m1', 'b one'));
        const chats = await store.listChats();
        const messages = await store.listMessages('a');
        await store.close();

        const reopened = await open();
        expect(await reopened.listChats()).toEqual(chats);
        expect(await reopened.listMessages('a')).toStrictEqual(messages);
        // Order continues after the saved messages.
        await reopened.saveMessage('a', text('m3', 'three'));
        await reopened.saveMessage('a', text('m1', 'one, replaced'));
        expect(await ids(reopened, 'a')).toEqual(['m1', 'm2', 'm3']);
      });

      it('sees writes of another store on the same database', async () => {
        const writer = await fresh();
        const reader = await open();
        await writer.ensureChat('a', 'A');
        await writer.saveMessage('a', text('m1', 'hello'));
        expect(await reader.listMessages('a')).toStrictEqual([text('m1', 'hello')]);
      });

      it('rejects calls after close; closing twice is fine', async () => {
        const store = await fresh();
        await store.close();
        await store.close();
        await expect(store.listChats()).rejects.toThrow(/closed/);
        await expect(store.ensureChat('a', 'A')).rejects.toThrow(/closed/);
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// SQLite

let tempDir = '';

beforeAll(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'maestro-store-'));
  // For getStore(): read by getConfig() on first use, which is in the getStore test below.
  process.env.MAESTRO_DATA_DIR = path.join(tempDir, 'data-dir');
});

afterAll(async () => {
  await closeStore();
  await fs.rm(tempDir, { recursive: true, force: true });
});

let databases = 0;

const sqliteBackend: StoreBackend = {
  async newDatabase() {
    databases += 1;
    // A sub-folder that does not exist yet: opening must create it.
    const file = path.join(tempDir, `db-${databases}`, 'maestro.db');
    return {
      openStore: () => openSqliteStore(file),
      openDriver: async () => openSqliteDriver(file),
    };
  },
};

describeStoreContract('sqlite', sqliteBackend);

describe('SQLite specifics', () => {
  it('sets the PRAGMAs: WAL, foreign keys, busy timeout, synchronous NORMAL', async () => {
    const driver = openSqliteDriver(path.join(tempDir, 'pragmas', 'maestro.db'));
    try {
      expect(await driver.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await driver.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect(await driver.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
      expect(await driver.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
    } finally {
      await driver.close();
    }
  });

  it('rolls back a transaction that throws, and serializes concurrent ones', async () => {
    const driver = openSqliteDriver(':memory:');
    try {
      await driver.run('CREATE TABLE t (n INTEGER NOT NULL)');
      await expect(
        driver.transaction(async (tx) => {
          await tx.run('INSERT INTO t (n) VALUES (?)', [1]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await driver.query('SELECT n FROM t')).toEqual([]);

      // Nested: the inner failure rolls back only the savepoint.
      await driver.transaction(async (tx) => {
        await tx.run('INSERT INTO t (n) VALUES (?)', [2]);
        await expect(
          tx.transaction(async (inner) => {
            await inner.run('INSERT INTO t (n) VALUES (?)', [3]);
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
      });
      expect(await driver.query('SELECT n FROM t')).toEqual([{ n: 2 }]);

      // Read-modify-write in many concurrent transactions loses no update.
      await driver.run('DELETE FROM t');
      await driver.run('INSERT INTO t (n) VALUES (0)');
      await Promise.all(
        Array.from({ length: 20 }, () =>
          driver.transaction(async (tx) => {
            const [row] = await tx.query<{ n: number }>('SELECT n FROM t');
            await new Promise((resolve) => setTimeout(resolve, 1));
            await tx.run('UPDATE t SET n = ?', [(row?.n ?? 0) + 1]);
          }),
        ),
      );
      expect(await driver.query('SELECT n FROM t')).toEqual([{ n: 20 }]);

      // A transaction handle cannot be used after its transaction ended.
      let leaked: SqlDriver | undefined;
      await driver.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.query('SELECT 1')).rejects.toThrow(/ended/);
    } finally {
      await driver.close();
    }
  });

  it('two connections on one file in one process take turns instead of deadlocking', async () => {
    const file = path.join(tempDir, 'two-connections', 'maestro.db');
    const a = await openSqliteStore(file);
    const b = await openSqliteStore(file);
    try {
      await a.ensureChat('c', 'C');
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).saveMessage('c', text(`m${i}`, `${i}`))),
      );
      expect(await a.listMessages('c')).toHaveLength(10);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('several processes migrating one new database at once apply each migration once', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const file = path.join(tempDir, 'processes', 'maestro.db');
    // Node strips the TypeScript types itself; this hook maps `@/` and extensionless imports.
    const script = path.join(tempDir, 'open-store.mjs');
    await fs.writeFile(
      script,
      `import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
const [root, file, id] = process.argv.slice(2);
registerHooks({
  resolve(specifier, context, next) {
    const mapped = specifier.startsWith('@/') ? pathToFileURL(root + '/' + specifier.slice(2)).href : specifier;
    try { return next(mapped, context); } catch (error) {
      if (mapped.startsWith('file:') || mapped.startsWith('.')) return next(mapped + '.ts', context);
      throw error;
    }
  },
});
const { openSqliteStore } = await import(pathToFileURL(root + '/lib/store/index.ts').href);
const store = await openSqliteStore(file);
await store.ensureChat(id, id);
await store.saveMessage(id, { id: 'm1', role: 'user', parts: [{ type: 'text', text: id }] });
await store.close();
`,
    );
    const run = promisify(execFile);
    const count = 6;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        run(process.execPath, ['--no-warnings', script, root, file, `p${i}`], { timeout: 15_000 }),
      ),
    );
    const store = await openSqliteStore(file);
    const driver = openSqliteDriver(file);
    try {
      expect(await store.listChats()).toHaveLength(count);
      const rows = await driver.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((row) => row.id)).toEqual(MIGRATIONS.map((migration) => migration.id));
    } finally {
      await store.close();
      await driver.close();
    }
  });
});

describe('getStore', () => {
  it('opens <dataDir>/maestro.db once per process and reopens after close', async () => {
    const first = getStore();
    const second = getStore();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a).toBeInstanceOf(SqlStore);
    await a.ensureChat('c1', 'Hello');
    await expect(fs.stat(path.join(tempDir, 'data-dir', 'maestro.db'))).resolves.toBeTruthy();
    await a.close();
    const c = await getStore();
    expect(c).not.toBe(a);
    expect(await c.getChat('c1')).toMatchObject({ title: 'Hello' });
    await closeStore();
  });
});

describe('toPostgresPlaceholders', () => {
  it('numbers ? placeholders outside strings, identifiers and comments', () => {
    expect(toPostgresPlaceholders('SELECT a FROM t WHERE b = ? AND c > ?')).toBe('SELECT a FROM t WHERE b = $1 AND c > $2');
    expect(toPostgresPlaceholders(`SELECT '?', "we?ird", 'it''s ?' FROM t WHERE x = ? -- why?\n AND y = ? /* ? */`)).toBe(
      `SELECT '?', "we?ird", 'it''s ?' FROM t WHERE x = $1 -- why?\n AND y = $2 /* ? */`,
    );
    expect(toPostgresPlaceholders('INSERT INTO t VALUES (?, ?, ?)')).toBe('INSERT INTO t VALUES ($1, $2, $3)');
  });
});
