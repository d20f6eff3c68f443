import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@/lib/chat/types';
import { MIGRATIONS, migrate } from '@/lib/store/migrations';
import type { SqlDriver } from '@/lib/store/sql';
import { ActiveRunExistsError, type ChatSummary, type RunRecord, type Store } from '@/lib/store/types';

/**
 * The behaviour every `Store` backend must have, as one suite that each backend's test file runs:
 * tests/unit/store.test.ts (SQLite), tests/integration/store-postgres.test.ts (Postgres).
 */

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

/** The identity that owns the chats of most tests. */
const OWNER = 'owner-1';

function summary(chat: ChatSummary): ChatSummary {
  return { id: chat.id, title: chat.title, createdAt: chat.createdAt, updatedAt: chat.updatedAt };
}

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
        const rows = await driver.query<{ id: string; applied_at: string }>('SELECT id, applied_at FROM schema_migrations ORDER BY id');
        expect(rows.map((row) => row.id)).toEqual(MIGRATIONS.map((migration) => migration.id));
        for (const row of rows) expect(row.applied_at).toMatch(ISO);
      });

      it('is idempotent: reopening and migrating again applies nothing', async () => {
        const first = await fresh();
        await first.ensureChat('c1', OWNER, 'Kept');
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
        await Promise.all(stores.map((store, i) => store.ensureChat(`c${i}`, OWNER, `Chat ${i}`)));
        expect(await stores[0]!.listChats(OWNER)).toHaveLength(4);
        const driver = await openDriver();
        const rows = await driver.query<{ id: string }>('SELECT id FROM schema_migrations');
        expect(rows).toHaveLength(MIGRATIONS.length);
      });

      it("upgrades a 0001 database: its chats keep their messages and belong to owner ''", async () => {
        database = await backend.newDatabase();
        const driver = await openDriver();
        expect(await migrate(driver, MIGRATIONS.slice(0, 1))).toEqual(['0001_chats_and_messages']);
        const at = '2025-01-31T12:00:00.000Z';
        await driver.run('INSERT INTO chats (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)', ['old', 'Old', at, at]);
        await driver.run('INSERT INTO messages (chat_id, id, seq, role, parts, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          'old',
          'm1',
          1,
          'user',
          JSON.stringify([{ type: 'text', text: 'from before' }]),
          null,
          at,
        ]);

        const store = await open();
        expect(await store.getChat('old')).toStrictEqual({
          id: 'old',
          ownerId: '',
          title: 'Old',
          createdAt: at,
          updatedAt: at,
          activeLeafId: 'm1',
        });
        expect(await store.listMessages('old')).toStrictEqual([text('m1', 'from before')]);
        expect(await store.listChats(OWNER)).toEqual([]);
        // It can run again and be deleted like any chat.
        await store.createRun({ id: 'r1', chatId: 'old', model: 'offline:maestro', replyTo: 'q' });
        expect(await store.deleteChat('old')).toBe(true);
        expect(await store.getRun('r1')).toBeNull();
      });

      it('upgrades a 0002 database: a new message goes after the messages it had, in every chat', async () => {
        database = await backend.newDatabase();
        const driver = await openDriver();
        expect(await migrate(driver, MIGRATIONS.slice(0, 2))).toEqual(['0001_chats_and_messages', '0002_owners_and_runs']);
        const at = '2025-01-31T12:00:00.000Z';
        for (const [chat, seqs] of [
          ['long', [1, 2, 7]],
          ['empty', []],
        ] as const) {
          await driver.run('INSERT INTO chats (id, owner_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [
            chat,
            OWNER,
            chat,
            at,
            at,
          ]);
          for (const seq of seqs) {
            await driver.run('INSERT INTO messages (chat_id, id, seq, role, parts, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
              chat,
              `m${seq}`,
              seq,
              'user',
              JSON.stringify([{ type: 'text', text: `m${seq}` }]),
              null,
              at,
            ]);
          }
        }

        const store = await open();
        await store.saveMessage('long', text('new', 'new'));
        await store.saveMessage('empty', text('first', 'first'));
        expect(await ids(store, 'long')).toEqual(['m1', 'm2', 'm7', 'new']);
        expect(await ids(store, 'empty')).toEqual(['first']);
        // Each chat became one branch: every message follows the one saved before it.
        expect((await store.listMessageTree('long')).map((node) => node.parentId)).toEqual([null, 'm1', 'm2', 'm7']);
        const seqs = await driver.query<{ id: string; seq: number }>('SELECT id, seq FROM messages WHERE id IN (?, ?) ORDER BY id', [
          'first',
          'new',
        ]);
        expect(seqs).toEqual([
          { id: 'first', seq: 1 },
          { id: 'new', seq: 8 },
        ]);
      });

      it('upgrades a 0004 database: the messages it had are found by search, their tricky text kept', async () => {
        database = await backend.newDatabase();
        const driver = await openDriver();
        await migrate(
          driver,
          MIGRATIONS.filter((migration) => migration.id <= '0004'),
        );
        const at = '2025-01-31T12:00:00.000Z';
        await driver.run('INSERT INTO chats (id, owner_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [
          'old',
          OWNER,
          'Old chat',
          at,
          at,
        ]);
        const tricky = 'nul:\u0000 lone:\ud800 the walrus said';
        const parts = [
          { type: 'text', text: tricky },
          { type: 'tool-calculator', toolCallId: 't1', state: 'output-available', input: { expression: 'walrus' }, output: 1 },
        ];
        await driver.run('INSERT INTO messages (chat_id, id, seq, role, parts, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          'old',
          'm1',
          1,
          'assistant',
          JSON.stringify(parts),
          null,
          at,
        ]);

        const store = await open();
        expect((await store.searchChats(OWNER, 'walrus', 10)).map((hit) => [hit.id, hit.matchedText])).toEqual([
          ['old', 'nul: lone:\ufffd the walrus said'],
        ]);
        expect(await store.searchChats(OWNER, 'expression', 10)).toEqual([]);
        expect((await store.listMessages('old'))[0]?.parts[0]).toStrictEqual({ type: 'text', text: tricky });
      });

      it('saves after a message that an instance of the previous version saved during an upgrade', async () => {
        const store = await fresh();
        await store.ensureChat('mixed', OWNER, 'Mixed');
        await store.saveMessage('mixed', text('new1', 'new1'));
        // The previous version's save: seq MAX + 1, and last_seq left as it was.
        const driver = await openDriver();
        await driver.run(
          `INSERT INTO messages (chat_id, id, seq, role, parts, metadata, created_at)
           SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM messages WHERE chat_id = ?`,
          ['mixed', 'old', 'user', JSON.stringify([{ type: 'text', text: 'old' }]), null, '2025-01-31T12:00:00.000Z', 'mixed'],
        );
        await store.saveMessage('mixed', text('new2', 'new2'));
        expect((await store.listMessageTree('mixed')).map((node) => node.message.id)).toEqual(['new1', 'old', 'new2']);
      });

      it('applies a later migration once, and only the new one', async () => {
        await fresh();
        const driver = await openDriver();
        const extra = [...MIGRATIONS, { id: '9999_test_extra', statements: ['CREATE TABLE test_extra (id TEXT NOT NULL PRIMARY KEY)'] }];
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
        const created = await store.ensureChat('c1', OWNER, 'First title');
        expect(created).toStrictEqual({
          id: 'c1',
          ownerId: OWNER,
          title: 'First title',
          createdAt: expect.stringMatching(ISO),
          updatedAt: created.createdAt,
          activeLeafId: null,
        });
        const again = await store.ensureChat('c1', OWNER, 'Second title');
        expect(again).toStrictEqual(created);
        expect(await store.getChat('c1')).toStrictEqual(created);
        // Summaries only: the owner id is not part of a listing.
        expect(await store.listChats(OWNER)).toStrictEqual([summary(created)]);
      });

      it('rejects an empty chat id or owner id', async () => {
        const store = await fresh();
        await expect(store.ensureChat('', OWNER, 'No id')).rejects.toThrow(/chat id/);
        await expect(store.ensureChat('c1', '', 'No owner')).rejects.toThrow(/owner id/);
        expect(await store.getChat('c1')).toBeNull();
      });

      it('getChat is null for an unknown chat', async () => {
        const store = await fresh();
        expect(await store.getChat('nope')).toBeNull();
        await store.ensureChat('c1', OWNER, 'One');
        expect(await store.getChat('nope')).toBeNull();
        expect(await store.getChat('C1')).toBeNull(); // ids are case-sensitive
      });

      it('findMessages reads the named messages of this chat with their parents, and skips unknown ids and other chats', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'One');
        await store.ensureChat('c2', OWNER, 'Two');
        await store.saveMessage('c1', text('u1', 'question'));
        await store.saveMessage('c1', { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'answer' }] });
        const found = await store.findMessages('c1', ['a1', 'nope', 'u1']);
        expect(found.map((node) => [node.message.id, node.message.role, node.parentId])).toEqual([
          ['u1', 'user', null],
          ['a1', 'assistant', 'u1'],
        ]);
        expect(await store.findMessages('c2', ['u1'])).toEqual([]);
        expect(await store.findMessages('c1', [])).toEqual([]);
      });

      it('listChats is newest first by updatedAt, and saving a message bumps updatedAt', async () => {
        const store = await fresh();
        expect(await store.listChats(OWNER)).toEqual([]);
        const a = await store.ensureChat('a', OWNER, 'A');
        const b = await store.ensureChat('b', OWNER, 'B');
        const c = await store.ensureChat('c', OWNER, 'C');
        expect((await store.listChats(OWNER)).map((chat) => chat.id)).toEqual(['c', 'b', 'a']);
        expect(b.createdAt > a.createdAt).toBe(true);
        expect(c.createdAt > b.createdAt).toBe(true);

        await store.saveMessage('a', text('m1', 'hello'));
        const chats = await store.listChats(OWNER);
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
        expect((await store.listChats(OWNER)).map((chat) => chat.id)).toEqual(['a', 'b', 'c']);
        // ensureChat on an existing chat does not.
        await store.ensureChat('c', OWNER, 'C');
        expect((await store.listChats(OWNER)).map((chat) => chat.id)).toEqual(['a', 'b', 'c']);
      });

      it("listChats returns only the given owner's chats", async () => {
        const store = await fresh();
        await store.ensureChat('a1', 'alice', 'Alice 1');
        await store.ensureChat('b1', 'bob', 'Bob 1');
        await store.ensureChat('a2', 'alice', 'Alice 2');
        await store.saveMessage('b1', text('m1', 'bob writes'));
        expect((await store.listChats('alice')).map((chat) => chat.id)).toEqual(['a2', 'a1']);
        expect((await store.listChats('bob')).map((chat) => chat.id)).toEqual(['b1']);
        expect(await store.listChats('carol')).toEqual([]);
        expect(await store.listChats('')).toEqual([]);
        expect(await store.listChats('ALICE')).toEqual([]); // owner ids are case-sensitive
        expect(await store.getChat('b1')).toMatchObject({ id: 'b1', ownerId: 'bob' });
      });

      it('ensureChat on an existing id keeps the original owner (the caller checks it)', async () => {
        const store = await fresh();
        const mine = await store.ensureChat('c1', 'alice', 'Mine');
        const attempt = await store.ensureChat('c1', 'mallory', 'Taken over?');
        expect(attempt).toStrictEqual(mine);
        expect(attempt.ownerId).toBe('alice');
        expect(await store.getChat('c1')).toMatchObject({ ownerId: 'alice', title: 'Mine' });
        expect(await store.listChats('mallory')).toEqual([]);
        expect((await store.listChats('alice')).map((chat) => chat.id)).toEqual(['c1']);
      });

      it('ensureChat racing on one new id from two owners creates it once, for one of them', async () => {
        database = await backend.newDatabase();
        const [s1, s2] = await Promise.all([open(), open()]);
        const results = await Promise.all([s1!.ensureChat('c1', 'alice', 'From Alice'), s2!.ensureChat('c1', 'bob', 'From Bob')]);
        expect(results[0]).toStrictEqual(results[1]);
        expect(['alice', 'bob']).toContain(results[0]?.ownerId);
        const lists = [...(await s1!.listChats('alice')), ...(await s1!.listChats('bob'))];
        expect(lists).toHaveLength(1);
      });

      it('deleteChat removes the chat and its messages; false for an unknown chat', async () => {
        const store = await fresh();
        await store.ensureChat('a', OWNER, 'A');
        await store.ensureChat('b', OWNER, 'B');
        await store.saveMessage('a', text('m1', 'one'));
        await store.saveMessage('a', text('m2', 'two'));
        await store.saveMessage('b', text('m1', 'other chat'));

        expect(await store.deleteChat('a')).toBe(true);
        expect(await store.getChat('a')).toBeNull();
        expect(await store.listMessages('a')).toEqual([]);
        expect((await store.listChats(OWNER)).map((chat) => chat.id)).toEqual(['b']);
        expect(await ids(store, 'b')).toEqual(['m1']);
        // The rows are gone from the table, not just hidden (ON DELETE CASCADE).
        const driver = await openDriver();
        expect(await driver.query('SELECT id FROM messages WHERE chat_id = ?', ['a'])).toEqual([]);

        expect(await store.deleteChat('a')).toBe(false);
        expect(await store.deleteChat('never-existed')).toBe(false);

        // The same id can be created again, empty.
        await store.ensureChat('a', OWNER, 'A again');
        expect(await store.getChat('a')).toMatchObject({ title: 'A again' });
        expect(await store.listMessages('a')).toEqual([]);
      });

      it('remembers the tools allowed in a chat, once each, per chat; they go with the chat', async () => {
        const store = await fresh();
        await store.ensureChat('a', OWNER, 'A');
        await store.ensureChat('b', OWNER, 'B');
        expect(await store.listAllowedTools('a')).toEqual([]);
        await store.allowToolInChat('a', 'write_file');
        await Promise.all([store.allowToolInChat('a', 'fetch_url'), store.allowToolInChat('a', 'write_file')]);
        expect(await store.listAllowedTools('a')).toEqual(['fetch_url', 'write_file']);
        expect(await store.listAllowedTools('b')).toEqual([]);

        await store.deleteChat('a');
        const driver = await openDriver();
        expect(await driver.query('SELECT tool_name FROM chat_tool_grants WHERE chat_id = ?', ['a'])).toEqual([]);
        await store.ensureChat('a', OWNER, 'A again');
        expect(await store.listAllowedTools('a')).toEqual([]);
      });
    });

    describe('messages', () => {
      it('round-trips parts and metadata exactly', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
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
        await store.ensureChat('c1', OWNER, 'Chat');
        const order = ['z', 'a', 'm', 'b', 'y', '10', '9'];
        for (const id of order) await store.saveMessage('c1', text(id, `message ${id}`));
        expect(await ids(store, 'c1')).toEqual(order);
      });

      it('replaces a message with the same id in place, without moving it', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
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
        await store.ensureChat('a', OWNER, 'A');
        await store.ensureChat('b', OWNER, 'B');
        await store.saveMessage('a', text('m1', 'in A'));
        await store.saveMessage('a', text('m2', 'second in A'));
        await store.saveMessage('b', text('m2', 'first in B'));
        await store.saveMessage('b', text('m1', 'second in B'));

        await store.saveMessage('a', text('m1', 'in A, replaced'));
        expect(await store.listMessages('a')).toStrictEqual([text('m1', 'in A, replaced'), text('m2', 'second in A')]);
        expect(await store.listMessages('b')).toStrictEqual([text('m2', 'first in B'), text('m1', 'second in B')]);
      });

      it('keeps a tree with three branches; the active path follows each new message and each switch', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        // u1 → a1 → u2 → a2, then u2 edited (u2b, answered a2b), then a2b regenerated (a2c).
        await store.saveMessage('c1', text('u1', 'first'));
        await store.saveMessage('c1', text('a1', 'one', 'assistant'));
        await store.saveMessage('c1', text('u2', 'second'));
        await store.saveMessage('c1', text('a2', 'two', 'assistant'));
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2', 'a2']);

        await store.saveMessage('c1', text('u2b', 'second, edited'), 'a1');
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2b']);
        await store.saveMessage('c1', text('a2b', 'two, again', 'assistant'), 'u2b');
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2b', 'a2b']);

        // Answering u2b again: the question becomes the leaf, then its new answer.
        expect(await store.setActiveLeaf('c1', 'u2b')).toBe(true);
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2b']);
        await store.saveMessage('c1', text('a2c', 'two, third try', 'assistant'), 'u2b');
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2b', 'a2c']);

        const tree = await store.listMessageTree('c1');
        expect(tree.map((node) => [node.message.id, node.parentId])).toEqual([
          ['u1', null],
          ['a1', 'u1'],
          ['u2', 'a1'],
          ['a2', 'u2'],
          ['u2b', 'a1'],
          ['a2b', 'u2b'],
          ['a2c', 'u2b'],
        ]);

        // Switching: each branch comes back whole, and nothing was deleted.
        expect(await store.setActiveLeaf('c1', 'a2')).toBe(true);
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2', 'a2']);
        expect(await store.setActiveLeaf('c1', 'a2b')).toBe(true);
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2b', 'a2b']);
        expect((await store.listMessages('c1'))[3]).toStrictEqual(text('a2b', 'two, again', 'assistant'));

        // Replacing a message keeps its place and does not move the active path.
        await store.saveMessage('c1', text('a2', 'two, replaced', 'assistant'));
        expect(await ids(store, 'c1')).toEqual(['u1', 'a1', 'u2b', 'a2b']);
        expect(await store.listMessageTree('c1')).toHaveLength(7);

        // A second first message is a new root: an edit of the first question.
        await store.saveMessage('c1', text('u1b', 'first, edited'), null);
        expect(await ids(store, 'c1')).toEqual(['u1b']);

        // Unknown messages and other chats' messages are refused and change nothing.
        await store.ensureChat('c2', OWNER, 'Other');
        await store.saveMessage('c2', text('x1', 'elsewhere'));
        expect(await store.setActiveLeaf('c1', 'x1')).toBe(false);
        expect(await store.setActiveLeaf('c1', 'nope')).toBe(false);
        expect(await ids(store, 'c1')).toEqual(['u1b']);
        expect(await ids(store, 'c2')).toEqual(['x1']);

        // Deleting the chat removes every branch; the other chat keeps its messages.
        expect(await store.deleteChat('c1')).toBe(true);
        expect(await store.listMessageTree('c1')).toEqual([]);
        expect(await store.listMessages('c1')).toEqual([]);
        expect(await ids(store, 'c2')).toEqual(['x1']);
      });

      it('a new message goes below the active leaf when no parent is given', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        await store.saveMessage('c1', text('u1', 'first'));
        await store.saveMessage('c1', text('a1', 'one', 'assistant'));
        await store.saveMessage('c1', text('a1b', 'one, again', 'assistant'), 'u1');
        await store.setActiveLeaf('c1', 'a1');
        await store.saveMessage('c1', text('u2', 'next'));
        expect((await store.findMessages('c1', ['u2']))[0]?.parentId).toBe('a1');
        expect((await store.getChat('c1'))?.activeLeafId).toBe('u2');
      });

      it('rejects a message for an unknown chat and saves nothing', async () => {
        const store = await fresh();
        await expect(store.saveMessage('ghost', text('m1', 'hello'))).rejects.toThrow(/ghost/);
        expect(await store.listMessages('ghost')).toEqual([]);
        expect(await store.listChats(OWNER)).toEqual([]);
      });

      it('keeps every message when many are saved concurrently', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        const wanted = Array.from({ length: 25 }, (_, i) => `m${i}`);
        await Promise.all(wanted.map((id) => store.saveMessage('c1', text(id, id), null)));
        const got = (await store.listMessageTree('c1')).map((node) => node.message.id);
        expect([...got].sort()).toEqual([...wanted].sort());
      });

      it('keeps unicode, emoji, control characters and large text intact', async () => {
        const store = await fresh();
        const title = 'Ünïcödé 🚀👩‍👩‍👧‍👦 مرحبا 漢字 e\u0301 "quotes" \'single\' \\ back\nslash';
        await store.ensureChat('chat-🚀', OWNER, title);
        expect(await store.getChat('chat-🚀')).toMatchObject({ id: 'chat-🚀', title });

        const large = 'Lorem ipsum dolor sit amet, 🧪 ünïcödé. '.repeat(50_000); // ~2 MB
        const tricky = "nul:\u0000 bell:\u0007 lone surrogate:\ud800 bom:\ufeff tab:\t crlf:\r\n sql: '; DROP TABLE chats; --";
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

    describe('runs', () => {
      const run = (id: string, chatId = 'c1', model = 'offline:maestro') => ({ id, chatId, model, replyTo: `q-${id}` });

      async function expectActiveRunExists(promise: Promise<unknown>, chatId: string): Promise<void> {
        const error: unknown = await promise.then(
          () => null,
          (reason: unknown) => reason,
        );
        expect(error).toBeInstanceOf(ActiveRunExistsError);
        expect(error).toMatchObject({ name: 'ActiveRunExistsError', chatId });
      }

      it('ensureChatWithRun makes a new chat with its run, and starts a run in an idle chat of the same owner', async () => {
        const store = await fresh();
        const first = await store.ensureChatWithRun({
          chatId: 'c1',
          ownerId: 'alice',
          title: 'New',
          run: { id: 'r1', model: 'm', replyTo: 'q' },
        });
        expect(first.chat).toMatchObject({ id: 'c1', ownerId: 'alice', title: 'New' });
        expect(first.run).toStrictEqual({
          id: 'r1',
          chatId: 'c1',
          model: 'm',
          status: 'running',
          startedAt: expect.stringMatching(ISO),
          endedAt: null,
          error: null,
          replyTo: 'q',
        });
        expect(await store.getActiveRun('c1')).toStrictEqual(first.run);

        // One run at a time: nothing is started while r1 runs.
        const busy = await store.ensureChatWithRun({
          chatId: 'c1',
          ownerId: 'alice',
          title: 'Other',
          run: { id: 'r2', model: 'm', replyTo: 'q' },
        });
        expect(busy).toStrictEqual({ chat: first.chat, run: null });
        expect(await store.getRun('r2')).toBeNull();

        await store.finishRun('r1', { status: 'complete' });
        const next = await store.ensureChatWithRun({
          chatId: 'c1',
          ownerId: 'alice',
          title: 'Other',
          run: { id: 'r3', model: 'm', replyTo: 'q' },
        });
        expect(next.chat).toStrictEqual(first.chat); // the title and the times are kept
        expect(next.run).toMatchObject({ id: 'r3', status: 'running' });
      });

      it('ensureChatWithRun racing from two processes on one new chat starts one run', async () => {
        database = await backend.newDatabase();
        const [s1, s2] = await Promise.all([open(), open()]);
        const results = await Promise.all([
          s1!.ensureChatWithRun({ chatId: 'c1', ownerId: 'alice', title: 'A', run: { id: 'r1', model: 'm', replyTo: 'q' } }),
          s2!.ensureChatWithRun({ chatId: 'c1', ownerId: 'alice', title: 'B', run: { id: 'r2', model: 'm', replyTo: 'q' } }),
        ]);
        expect(results.filter((result) => result.run !== null)).toHaveLength(1);
        expect(results[0]!.chat).toStrictEqual(results[1]!.chat);
        const active = await s1!.getActiveRun('c1');
        expect(active?.id).toBe(results.find((result) => result.run)!.run!.id);
      });

      it("ensureChatWithRun on another owner's chat returns it and starts nothing", async () => {
        const store = await fresh();
        const mine = await store.ensureChat('c1', 'alice', 'Mine');
        const attempt = await store.ensureChatWithRun({
          chatId: 'c1',
          ownerId: 'mallory',
          title: 'Taken over?',
          run: { id: 'r1', model: 'm', replyTo: 'q' },
        });
        expect(attempt).toStrictEqual({ chat: mine, run: null });
        expect(await store.getRun('r1')).toBeNull();
        expect(await store.getChat('c1')).toStrictEqual(mine);
      });

      it('createRun records a running run; getRun and getActiveRun read it back', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        const created = await store.createRun(run('r1', 'c1', 'google:gemini-2.5-flash'));
        expect(created).toStrictEqual({
          id: 'r1',
          chatId: 'c1',
          model: 'google:gemini-2.5-flash',
          status: 'running',
          startedAt: expect.stringMatching(ISO),
          endedAt: null,
          error: null,
          replyTo: 'q-r1',
        });
        expect(await store.getRun('r1')).toStrictEqual(created);
        expect(await store.getActiveRun('c1')).toStrictEqual(created);
        expect(await store.getRun('nope')).toBeNull();
        expect(await store.getActiveRun('other')).toBeNull();
      });

      it('a second createRun while one is running throws ActiveRunExistsError and changes nothing', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        const first = await store.createRun(run('r1'));
        await expectActiveRunExists(store.createRun(run('r2')), 'c1');
        expect(await store.getRun('r2')).toBeNull();
        expect(await store.getActiveRun('c1')).toStrictEqual(first);
        expect(await store.listActiveRuns()).toStrictEqual([first]);
      });

      it('one run per chat: other chats start their own runs', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'One');
        await store.ensureChat('c2', 'someone-else', 'Two');
        const r1 = await store.createRun(run('r1', 'c1'));
        const r2 = await store.createRun(run('r2', 'c2'));
        expect(await store.getActiveRun('c1')).toStrictEqual(r1);
        expect(await store.getActiveRun('c2')).toStrictEqual(r2);
      });

      it('of many concurrent createRun calls on one chat exactly one wins', async () => {
        database = await backend.newDatabase();
        const stores = await Promise.all([open(), open()]);
        await stores[0]!.ensureChat('c1', OWNER, 'Chat');
        for (let round = 0; round < 3; round += 1) {
          const attempts = Array.from({ length: 8 }, (_, i) => stores[i % stores.length]!.createRun(run(`round${round}-r${i}`)));
          const settled = await Promise.allSettled(attempts);
          const winners = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
          const losers = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(7);
          for (const loser of losers) expect(loser).toBeInstanceOf(ActiveRunExistsError);
          const winner = winners[0]!;
          expect(await stores[1]!.getActiveRun('c1')).toStrictEqual(winner);
          expect(await stores[1]!.listActiveRuns()).toStrictEqual([winner]);
          expect(await stores[0]!.finishRun(winner.id, { status: 'complete' })).toBe(true);
        }
        const driver = await openDriver();
        const rows = await driver.query<{ n: number }>('SELECT COUNT(*) AS n FROM runs WHERE chat_id = ?', ['c1']);
        expect(rows).toEqual([{ n: 3 }]);
      });

      it('after finishRun a new run can start; finishing twice returns false the second time', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        const first = await store.createRun(run('r1'));
        expect(await store.finishRun('r1', { status: 'complete' })).toBe(true);
        const finished = await store.getRun('r1');
        expect(finished).toStrictEqual({ ...first, status: 'complete', endedAt: expect.stringMatching(ISO), error: null });
        expect(finished!.endedAt! >= first.startedAt).toBe(true);
        expect(await store.getActiveRun('c1')).toBeNull();

        // The second finish (another instance, a stop after the end) changes nothing.
        expect(await store.finishRun('r1', { status: 'stopped' })).toBe(false);
        expect(await store.finishRun('r1', { status: 'error', error: 'late' })).toBe(false);
        expect(await store.getRun('r1')).toStrictEqual(finished);
        expect(await store.finishRun('never-existed', { status: 'complete' })).toBe(false);

        const second = await store.createRun(run('r2'));
        expect(second.startedAt > first.startedAt).toBe(true);
        expect(await store.getActiveRun('c1')).toStrictEqual(second);
        expect(await store.getRun('r1')).toStrictEqual(finished);
      });

      it('finishRun records each outcome; the error text only for status error', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        const ends = [
          { status: 'complete', error: 'ignored' },
          { status: 'stopped' },
          { status: 'interrupted', error: null },
          { status: 'error', error: 'The model provider answered 500.' },
          { status: 'error' },
        ] as const;
        const expected: Array<[RunRecord['status'], string | null]> = [
          ['complete', null],
          ['stopped', null],
          ['interrupted', null],
          ['error', 'The model provider answered 500.'],
          ['error', null],
        ];
        for (const [i, end] of ends.entries()) {
          await store.createRun(run(`r${i}`));
          expect(await store.finishRun(`r${i}`, end)).toBe(true);
          const got = await store.getRun(`r${i}`);
          expect([got?.status, got?.error]).toEqual(expected[i]);
          expect(got?.endedAt).toMatch(ISO);
        }
        expect(await store.listActiveRuns()).toEqual([]);
      });

      it('concurrent finishRun calls on one run: exactly one returns true', async () => {
        const store = await fresh();
        await store.ensureChat('c1', OWNER, 'Chat');
        await store.createRun(run('r1'));
        const results = await Promise.all([
          store.finishRun('r1', { status: 'complete' }),
          store.finishRun('r1', { status: 'stopped' }),
          store.finishRun('r1', { status: 'interrupted' }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('listActiveRuns lists every running run, oldest first, and nothing that ended', async () => {
        const store = await fresh();
        expect(await store.listActiveRuns()).toEqual([]);
        for (const id of ['c1', 'c2', 'c3']) await store.ensureChat(id, OWNER, id);
        const r1 = await store.createRun(run('r1', 'c1'));
        const r2 = await store.createRun(run('r2', 'c2'));
        const r3 = await store.createRun(run('r3', 'c3'));
        expect(await store.listActiveRuns()).toStrictEqual([r1, r2, r3]);
        await store.finishRun('r2', { status: 'interrupted' });
        expect(await store.listActiveRuns()).toStrictEqual([r1, r3]);
        const r4 = await store.createRun(run('r4', 'c2'));
        expect(await store.listActiveRuns()).toStrictEqual([r1, r3, r4]);
      });

      it('createRun rejects an unknown chat and a duplicate run id', async () => {
        const store = await fresh();
        await expect(store.createRun(run('r1', 'ghost'))).rejects.toThrow(/Unknown chat: ghost/);
        expect(await store.getRun('r1')).toBeNull();

        await store.ensureChat('c1', OWNER, 'One');
        await store.ensureChat('c2', OWNER, 'Two');
        await store.createRun(run('r1', 'c1'));
        await store.finishRun('r1', { status: 'complete' });
        // The id is taken (by a finished run of another chat): a bug in the caller, not a busy chat.
        const error: unknown = await store.createRun(run('r1', 'c2')).then(
          () => null,
          (reason: unknown) => reason,
        );
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(ActiveRunExistsError);
        expect(await store.getActiveRun('c2')).toBeNull();
        expect(await store.getRun('r1')).toMatchObject({ chatId: 'c1', status: 'complete' });
      });

      it("deleteChat removes the chat's runs, running or not", async () => {
        const store = await fresh();
        await store.ensureChat('a', OWNER, 'A');
        await store.ensureChat('b', OWNER, 'B');
        await store.createRun(run('a-old', 'a'));
        await store.finishRun('a-old', { status: 'complete' });
        await store.createRun(run('a-now', 'a'));
        const b = await store.createRun(run('b-now', 'b'));

        expect(await store.deleteChat('a')).toBe(true);
        expect(await store.getRun('a-old')).toBeNull();
        expect(await store.getRun('a-now')).toBeNull();
        expect(await store.getActiveRun('a')).toBeNull();
        expect(await store.listActiveRuns()).toStrictEqual([b]);
        const driver = await openDriver();
        expect(await driver.query('SELECT id FROM runs WHERE chat_id = ?', ['a'])).toEqual([]);

        // The chat can come back and start afresh.
        await store.ensureChat('a', OWNER, 'A again');
        expect(await store.createRun(run('a-new', 'a'))).toMatchObject({ status: 'running' });
      });
    });

    describe('rename and search', () => {
      it('renameChat sets the title and keeps the times; null for an unknown chat', async () => {
        const store = await fresh();
        const created = await store.ensureChat('c1', OWNER, 'Old title');
        await store.ensureChat('c2', OWNER, 'Newer');
        const renamed = await store.renameChat('c1', 'New title');
        expect(renamed).toStrictEqual({ ...created, title: 'New title' });
        expect(await store.getChat('c1')).toStrictEqual(renamed);
        // Renaming does not make a chat the newest.
        expect((await store.listChats(OWNER)).map((chat) => [chat.id, chat.title])).toEqual([
          ['c2', 'Newer'],
          ['c1', 'New title'],
        ]);
        expect(await store.renameChat('nope', 'Title')).toBeNull();
        expect(await store.getChat('nope')).toBeNull();
      });

      it('searchChats finds titles containing every word, ignoring case, newest first, at most limit', async () => {
        const store = await fresh();
        await store.ensureChat('a', OWNER, 'Trip to Tokyo');
        await store.ensureChat('b', OWNER, 'Tokyo weather');
        await store.ensureChat('c', OWNER, 'Kyoto trip');
        await store.ensureChat('d', OWNER, 'Groceries');
        const found = async (query: string, limit = 10) => (await store.searchChats(OWNER, query, limit)).map((hit) => hit.id);
        expect(await found('tokyo')).toEqual(['b', 'a']);
        expect(await found('TRIP')).toEqual(['c', 'a']);
        expect(await found('  trip   tokyo ')).toEqual(['a']);
        expect(await found('tok')).toEqual(['b', 'a']);
        expect(await found('tokyo', 1)).toEqual(['b']);
        expect(await found('osaka')).toEqual([]);
        expect(await found('   ')).toEqual([]);
        const [hit] = await store.searchChats(OWNER, 'groceries', 10);
        expect(hit).toStrictEqual({ ...summary((await store.getChat('d'))!), matchedText: null });
      });

      it('searchChats finds the text of messages, not JSON keys, tool calls, reasoning or metadata', async () => {
        const store = await fresh();
        await store.ensureChat('math', OWNER, 'Arithmetic');
        await store.saveMessage('math', text('u1', 'How much is 2 × (3 + 4)?'));
        await store.saveMessage('math', richAssistantMessage('a1'));
        await store.ensureChat('other', OWNER, 'Other');
        await store.saveMessage('other', text('u1', 'Nothing to see'));

        await store.saveMessage('math', text('u2', 'And (3 + 4) alone?'));
        await store.saveMessage('math', { id: 'a2', role: 'assistant', parts: [{ type: 'text', text: '(3 + 4) is 7.' }] });
        const [hit, ...rest] = await store.searchChats(OWNER, '= **14**', 10);
        expect(rest).toEqual([]);
        expect(hit).toMatchObject({ id: 'math', title: 'Arithmetic', matchedText: '2 × (3 + 4) = **14**' });
        // An answer's text before a question's; a question's when no answer has the words.
        expect(await store.searchChats(OWNER, '(3 + 4)', 10)).toMatchObject([{ id: 'math', matchedText: '2 × (3 + 4) = **14**' }]);
        expect(await store.searchChats(OWNER, 'much', 10)).toMatchObject([{ id: 'math', matchedText: 'How much is 2 × (3 + 4)?' }]);
        // Both words in one text part.
        expect(await store.searchChats(OWNER, 'much nothing', 10)).toEqual([]);
        for (const query of [
          'type',
          'parts',
          'step-start',
          'expression',
          'calculator',
          'ENOENT',
          'compute',
          'offline',
          'inputTokens',
          'example.com',
          'status',
        ]) {
          expect(await store.searchChats(OWNER, query, 10), query).toEqual([]);
        }
      });

      if (name === 'sqlite') {
        it('searchChats on SQLite matches substrings, and takes %, _ and ! in a query literally', async () => {
          const store = await fresh();
          await store.ensureChat('c1', OWNER, 'Rates');
          await store.saveMessage('c1', text('m1', 'It grew 100% in a_b! terms'));
          await store.ensureChat('c2', OWNER, 'Lookalikes');
          await store.saveMessage('c2', text('m1', 'It grew 1000x in axb terms'));
          const found = async (query: string) => (await store.searchChats(OWNER, query, 10)).map((hit) => hit.id);
          expect(await found('100%')).toEqual(['c1']);
          expect(await found('a_b')).toEqual(['c1']);
          expect(await found('b!')).toEqual(['c1']);
          expect(await found('%')).toEqual(['c1']);
          expect(await found('grew')).toEqual(['c2', 'c1']);
          expect(await found('rew')).toEqual(['c2', 'c1']);
        });
      }

      if (name === 'postgres') {
        it('searchChats on Postgres is full text search: word starts in any case and script, punctuation is no word', async () => {
          const store = await fresh();
          await store.ensureChat('c1', OWNER, 'Rates');
          await store.saveMessage('c1', text('m1', 'It grew 100% in a_b! terms. ÜBERGRÖSSE Straße'));
          await store.ensureChat('c2', OWNER, 'Lookalikes');
          await store.saveMessage('c2', text('m1', "It grew 1000x in axb terms, don't panic"));
          const found = async (query: string) => (await store.searchChats(OWNER, query, 10)).map((hit) => hit.id);
          expect(await found('grew')).toEqual(['c2', 'c1']);
          expect(await found('rew')).toEqual([]);
          expect(await found('100%')).toEqual(['c2', 'c1']);
          expect(await found('übergr')).toEqual(['c1']);
          expect(await found('STRASSE')).toEqual([]);
          expect(await found('straße')).toEqual(['c1']);
          // Quotes, backslashes and the query language's own signs are words or nothing, never an error.
          for (const query of ['%', "'", '\\', ':* & | ! ( ) <->', "''''"]) expect(await found(query), query).toEqual([]);
          expect(await found("don't")).toEqual(['c2']);
          expect(await found("'it''s'")).toEqual(['c1']);
          expect(await found('\\grew')).toEqual(['c2', 'c1']);
        });

        it('searchChats on Postgres finds messages through the text index', async () => {
          const store = await fresh();
          await store.ensureChat('c1', OWNER, 'Indexed');
          await store.saveMessage('c1', text('m1', 'a needle in a haystack'));
          const driver = await openDriver();
          await driver.run('SET enable_seqscan = off');
          const plan = await driver.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN SELECT id FROM messages m WHERE to_tsvector('simple', m.search_text::jsonb) @@ to_tsquery('simple', 'needle:*')`,
          );
          expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('messages_text_search_idx');
          expect((await store.searchChats(OWNER, 'needle', 10)).map((hit) => hit.matchedText)).toEqual(['a needle in a haystack']);
        });
      }

      it('searchChats reads text with NUL, lone surrogates and 2 MB, without an error', async () => {
        const store = await fresh();
        await store.ensureChat('odd', OWNER, 'Odd');
        await store.saveMessage('odd', text('m1', 'nul:\u0000 lone:\ud800 the walrus said'));
        await store.ensureChat('long', OWNER, 'Long');
        await store.saveMessage('long', text('m1', `${Array.from({ length: 250_000 }, (_, i) => `w${i.toString(36)}`).join(' ')} tail`));
        expect((await store.searchChats(OWNER, 'walrus', 10)).map((hit) => hit.id)).toEqual(['odd']);
        expect((await store.searchChats(OWNER, 'w2', 10)).map((hit) => hit.id)).toEqual(['long']);
      });

      it("searchChats never returns another owner's chats", async () => {
        const store = await fresh();
        await store.ensureChat('mine', OWNER, 'Secret plans');
        await store.saveMessage('mine', text('m1', 'the password is swordfish'));
        await store.ensureChat('theirs', 'someone-else', 'Secret plans');
        await store.saveMessage('theirs', text('m1', 'the password is swordfish'));
        expect((await store.searchChats(OWNER, 'secret', 10)).map((hit) => hit.id)).toEqual(['mine']);
        expect((await store.searchChats(OWNER, 'swordfish', 10)).map((hit) => hit.id)).toEqual(['mine']);
        expect((await store.searchChats('someone-else', 'swordfish', 10)).map((hit) => hit.id)).toEqual(['theirs']);
        expect(await store.searchChats('nobody', 'swordfish', 10)).toEqual([]);
      });
    });

    describe('lifetime', () => {
      it('keeps everything after close and reopen', async () => {
        const store = await fresh();
        await store.ensureChat('a', OWNER, 'A');
        await store.ensureChat('b', OWNER, 'B');
        await store.saveMessage('a', text('m1', 'one'));
        await store.saveMessage('a', richAssistantMessage('m2'));
        await store.saveMessage('b', text('m1', 'b one'));
        const running = await store.createRun({ id: 'r1', chatId: 'a', model: 'offline:maestro', replyTo: 'q' });
        const chats = await store.listChats(OWNER);
        const messages = await store.listMessages('a');
        await store.close();

        const reopened = await open();
        expect(await reopened.listChats(OWNER)).toEqual(chats);
        expect(await reopened.listMessages('a')).toStrictEqual(messages);
        // A run left running by a process that is gone is still there, to be recovered.
        expect(await reopened.listActiveRuns()).toStrictEqual([running]);
        // Order continues after the saved messages.
        await reopened.saveMessage('a', text('m3', 'three'));
        await reopened.saveMessage('a', text('m1', 'one, replaced'));
        expect(await ids(reopened, 'a')).toEqual(['m1', 'm2', 'm3']);
      });

      it('sees writes of another store on the same database', async () => {
        const writer = await fresh();
        const reader = await open();
        await writer.ensureChat('a', OWNER, 'A');
        await writer.saveMessage('a', text('m1', 'hello'));
        expect(await reader.listMessages('a')).toStrictEqual([text('m1', 'hello')]);
      });

      it('pins an MCP tool definition when first seen, notes a changed one, and accepts it', async () => {
        const store = await fresh();
        expect(await store.recordToolDefinitions({ s__a: 'fp1', s__b: 'fp2' })).toStrictEqual({ s__a: 'fp1', s__b: 'fp2' });
        expect(await store.listChangedTools()).toStrictEqual([]);
        // The server serves another definition of s__a: the pin stays, the change is noted.
        expect(await store.recordToolDefinitions({ s__a: 'fp1-changed', s__b: 'fp2' })).toStrictEqual({ s__a: 'fp1', s__b: 'fp2' });
        const other = await open();
        expect(await other.listChangedTools()).toStrictEqual(['s__a']);
        expect(await other.acceptToolDefinitions(['s__a', 's__b', 'unknown'])).toStrictEqual(['s__a']);
        expect(await store.listChangedTools()).toStrictEqual([]);
        expect(await store.recordToolDefinitions({ s__a: 'fp1-changed' })).toStrictEqual({ s__a: 'fp1-changed' });
      });

      it('rejects calls after close; closing twice is fine', async () => {
        const store = await fresh();
        await store.close();
        await store.close();
        await expect(store.listChats(OWNER)).rejects.toThrow(/closed/);
        await expect(store.ensureChat('a', OWNER, 'A')).rejects.toThrow(/closed/);
      });
    });
  });
}
