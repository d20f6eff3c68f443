import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@/lib/chat/types';
import { closeStore, getStore, openSqliteStore } from '@/lib/store';
import { MIGRATIONS } from '@/lib/store/migrations';
import { toPostgresPlaceholders, type SqlDriver } from '@/lib/store/sql';
import { SqlStore } from '@/lib/store/sql-store';
import { openSqliteDriver } from '@/lib/store/sqlite';
import { sleep } from '@/tests/helpers/sleep';
import { AUTOCHECKPOINT_PAGES } from '@/lib/store/sqlite-checkpointer';
import { describeStoreContract, type StoreBackend } from '@/tests/helpers/store-contract';

function text(id: string, body: string, role: ChatMessage['role'] = 'user'): ChatMessage {
  return { id, role, parts: [{ type: 'text', text: body }] };
}

// ---------------------------------------------------------------------------------------------
// SQLite

let tempDir = '';

beforeAll(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'maestro-store-'));
  // For getStore(): read by getConfig() on first use, which is in the getStore test below.
  process.env.MAESTRO_DATA_DIR = path.join(tempDir, 'data-dir');
  delete process.env.DATABASE_URL; // getStore() must pick SQLite here
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

  it('copies the write-ahead log into the database from another thread, not on commit', async () => {
    const file = path.join(tempDir, 'checkpoint', 'maestro.db');
    const driver = openSqliteDriver(file);
    try {
      expect(await driver.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: AUTOCHECKPOINT_PAGES }]);
      await driver.run('CREATE TABLE t (text TEXT NOT NULL)');
      const before = (await fs.stat(file)).size;
      // About 100 pages: far below the commit's own checkpoint threshold.
      for (let i = 0; i < 100; i++) await driver.run('INSERT INTO t (text) VALUES (?)', ['x'.repeat(4_000)]);
      let after = before;
      // A checkpoint may copy the log in more than one pass: wait for all of it (or the 5 s).
      for (let waited = 0; waited < 5_000 && after <= before + 100 * 4_000; waited += 50) {
        await sleep(50);
        after = (await fs.stat(file)).size;
      }
      expect(after).toBeGreaterThan(before + 100 * 4_000);
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
            await sleep(1);
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
      await a.ensureChat('c', 'owner', 'C');
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).saveMessage('c', text(`m${i}`, `${i}`), null)));
      expect(await a.listMessageTree('c')).toHaveLength(10);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('several processes migrating one new database at once apply each migration once', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const file = path.join(tempDir, 'processes', 'maestro.db');
    // Node compiles the TypeScript itself (transform, not just strip: lib/store/types.ts has a
    // parameter property); this hook maps `@/` and extensionless imports.
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
await store.ensureChat(id, 'owner', id);
await store.saveMessage(id, { id: 'm1', role: 'user', parts: [{ type: 'text', text: id }] });
await store.close();
`,
    );
    const run = promisify(execFile);
    const count = 6;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        run(process.execPath, ['--no-warnings', '--experimental-transform-types', script, root, file, `p${i}`], { timeout: 15_000 }),
      ),
    );
    const store = await openSqliteStore(file);
    const driver = openSqliteDriver(file);
    try {
      expect(await store.listChats('owner')).toHaveLength(count);
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
    await a.ensureChat('c1', 'owner', 'Hello');
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
