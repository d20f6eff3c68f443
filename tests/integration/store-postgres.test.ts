import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeStore, getStore, openPostgresStore } from '@/lib/store';
import { MIGRATIONS, migrate } from '@/lib/store/migrations';
import { isStoreUnavailable, openPostgresDriver, StoreUnavailableError } from '@/lib/store/postgres';
import type { SqlDriver } from '@/lib/store/sql';
import { SqlStore } from '@/lib/store/sql-store';
import { ActiveRunExistsError, type Store } from '@/lib/store/types';
import { describeStoreContract, type StoreBackend } from '@/tests/helpers/store-contract';

/**
 * The store contract on Postgres, plus what only Postgres has (several pools = several instances,
 * connection failures). Every database here is a fresh schema with a unique name, dropped at the end.
 * Needs a server: TEST_DATABASE_URL, or the local default below.
 */

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `maestro_test_<pid>_<random>_<n>`: unique across concurrent test runs. */
const prefix = `maestro_test_${process.pid}_${randomBytes(4).toString('hex')}`;
const schemas: string[] = [];

function newSchema(): string {
  const schema = `${prefix}_${schemas.length + 1}`;
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  await closeStore();
  const admin = await openPostgresDriver(url);
  try {
    for (const schema of schemas) await admin.run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const left = await admin.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name LIKE ?', [
      `${prefix}%`,
    ]);
    expect(left).toEqual([{ n: 0 }]);
  } finally {
    await admin.close();
  }
});

const postgresBackend: StoreBackend = {
  async newDatabase() {
    const schema = newSchema();
    return {
      openStore: () => openPostgresStore(url, { schema }),
      openDriver: () => openPostgresDriver(url, { schema }),
    };
  },
};

describeStoreContract('postgres', postgresBackend);

describe('Postgres specifics', () => {
  const opened: Array<Store | SqlDriver> = [];
  const track = <T extends Store | SqlDriver>(handle: T): T => {
    opened.push(handle);
    return handle;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((handle) => handle.close()));
  });

  it('two instances (two pools) racing createRun on one chat: exactly one wins, every round', async () => {
    const schema = newSchema();
    const [a, b] = await Promise.all([openPostgresStore(url, { schema }).then(track), openPostgresStore(url, { schema }).then(track)]);
    await a.ensureChat('c1', 'owner', 'Chat');
    for (let round = 0; round < 10; round += 1) {
      const settled = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? a : b).createRun({ id: `r${round}-${i}`, chatId: 'c1', model: 'offline:maestro', replyTo: 'q' }),
        ),
      );
      const winners = settled.filter((result) => result.status === 'fulfilled');
      const losers = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      for (const loser of losers) expect(loser).toBeInstanceOf(ActiveRunExistsError);
      const active = await b.getActiveRun('c1');
      expect(active).not.toBeNull();
      // Both instances try to finish it: one does.
      const finished = await Promise.all([
        a.finishRun(active!.id, { status: 'complete' }),
        b.finishRun(active!.id, { status: 'interrupted' }),
      ]);
      expect(finished.filter(Boolean)).toHaveLength(1);
    }
    expect(await a.listActiveRuns()).toEqual([]);
  });

  it('several instances starting at once on a new schema apply each migration exactly once', async () => {
    const schema = newSchema();
    const drivers = await Promise.all(Array.from({ length: 4 }, () => openPostgresDriver(url, { schema }).then(track)));
    const applied = await Promise.all(drivers.map((driver) => migrate(driver)));
    // Each migration was applied by exactly one of them.
    expect(applied.flat().sort()).toEqual(MIGRATIONS.map((migration) => migration.id));
    const rows = await drivers[0]!.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual(MIGRATIONS.map((migration) => migration.id));

    // And stores opened at once on another new schema all work.
    const other = newSchema();
    const stores = await Promise.all(Array.from({ length: 3 }, () => openPostgresStore(url, { schema: other }).then(track)));
    await Promise.all(stores.map((store, i) => store.ensureChat(`c${i}`, 'owner', `Chat ${i}`)));
    expect(await stores[2]!.listChats('owner')).toHaveLength(3);
  });

  it('keeps each schema separate, and the schema exists once created', async () => {
    const first = newSchema();
    const second = newSchema();
    const a = track(await openPostgresStore(url, { schema: first }));
    const b = track(await openPostgresStore(url, { schema: second }));
    await a.ensureChat('c1', 'owner', 'In first');
    expect(await b.getChat('c1')).toBeNull();
    expect(await b.listChats('owner')).toEqual([]);
    const driver = track(await openPostgresDriver(url, { schema: first }));
    expect(await driver.query('SELECT current_schema() AS schema')).toEqual([{ schema: first }]);
  });

  it('returns numbers for INTEGER and BIGINT, strings for TEXT, null for NULL', async () => {
    const driver = track(await openPostgresDriver(url, { schema: newSchema() }));
    const rows = await driver.query(
      'SELECT CAST(? AS INTEGER) AS i, CAST(? AS BIGINT) AS b, COUNT(*) AS n, CAST(? AS TEXT) AS t, NULL AS z',
      [7, 9_007_199_254_740_991n, 'x'],
    );
    expect(rows).toEqual([{ i: 7, b: 9_007_199_254_740_991, n: 1, t: 'x', z: null }]);
  });

  it('transactions: commit, rollback on throw, nested savepoints, no use after the end', async () => {
    const driver = track(await openPostgresDriver(url, { schema: newSchema() }));
    await driver.run('CREATE TABLE t (n INTEGER NOT NULL)');
    await expect(
      driver.transaction(async (tx) => {
        await tx.run('INSERT INTO t (n) VALUES (?)', [1]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await driver.query('SELECT n FROM t')).toEqual([]);

    await driver.transaction(async (tx) => {
      await tx.run('INSERT INTO t (n) VALUES (?)', [2]);
      await expect(
        tx.transaction(async (inner) => {
          await inner.run('INSERT INTO t (n) VALUES (?)', [3]);
          await inner.run('THIS IS NOT SQL'); // aborts only the savepoint
        }),
      ).rejects.toThrow();
      await tx.transaction(async (inner) => {
        await inner.run('INSERT INTO t (n) VALUES (?)', [4]);
      });
    });
    expect(await driver.query('SELECT n FROM t ORDER BY n')).toEqual([{ n: 2 }, { n: 4 }]);

    // Uncommitted writes are invisible to the other connections of the pool.
    let seenOutside: unknown;
    await driver.transaction(async (tx) => {
      await tx.run('INSERT INTO t (n) VALUES (?)', [5]);
      seenOutside = await driver.query('SELECT n FROM t WHERE n = ?', [5]);
    });
    expect(seenOutside).toEqual([]);
    expect(await driver.query('SELECT n FROM t WHERE n = ?', [5])).toEqual([{ n: 5 }]);

    expect(await driver.run('UPDATE t SET n = n + 10 WHERE n > ?', [1])).toEqual({ changes: 3 });

    let leaked: SqlDriver | undefined;
    await driver.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toThrow(/ended/);
  });

  it('getStore() opens Postgres when DATABASE_URL is set', async () => {
    // A deployment can pick a schema through the URL: libpq's `options` parameter.
    const schema = newSchema();
    const admin = track(await openPostgresDriver(url));
    await admin.run(`CREATE SCHEMA "${schema}"`);
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    try {
      const store = await getStore();
      expect(store).toBeInstanceOf(SqlStore);
      expect(await getStore()).toBe(store);
      await store.ensureChat('c1', 'owner', 'Via getStore');
      const [row] = await admin.query<{ title: string }>(`SELECT title FROM "${schema}".chats WHERE id = ?`, ['c1']);
      expect(row).toEqual({ title: 'Via getStore' });
    } finally {
      await closeStore();
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });

  it('an unreachable server is a StoreUnavailableError that isStoreUnavailable recognises', async () => {
    // Port 1 on localhost: refused at once (no server listens there).
    const down = 'postgres://postgres@127.0.0.1:1/test';
    const error: unknown = await openPostgresStore(down).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(String(error)).toMatch(/ECONNREFUSED|unavailable/);

    // The raw errors of pg and of the socket are recognised too.
    expect(isStoreUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))).toBe(true);
    expect(isStoreUnavailable(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) }))).toBe(true);

    // A closed store is unavailable; statement errors are not.
    const store = await openPostgresStore(url, { schema: newSchema() });
    await store.close();
    expect(isStoreUnavailable(await store.listChats('owner').catch((reason: unknown) => reason))).toBe(true);
    const driver = track(await openPostgresDriver(url, { schema: newSchema() }));
    const syntax: unknown = await driver.query('THIS IS NOT SQL').catch((reason: unknown) => reason);
    expect(syntax).toBeInstanceOf(Error);
    expect(isStoreUnavailable(syntax)).toBe(false);
    expect(isStoreUnavailable(new ActiveRunExistsError('c1'))).toBe(false);
    expect(isStoreUnavailable(null)).toBe(false);
  });

  it('a connection killed by the server fails that statement as unavailable, and the pool recovers', async () => {
    const schema = newSchema();
    const store = track(await openPostgresStore(url, { schema }));
    const driver = track(await openPostgresDriver(url, { schema }));
    await store.ensureChat('c1', 'owner', 'Chat');
    // A transaction holds its connection while we terminate it from another one.
    const killed = driver.transaction(async (tx) => {
      const [me] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const admin = await openPostgresDriver(url);
      try {
        await admin.query('SELECT pg_terminate_backend(?)', [me!.pid]);
      } finally {
        await admin.close();
      }
      await tx.query('SELECT 1');
    });
    const error: unknown = await killed.catch((reason: unknown) => reason);
    expect(isStoreUnavailable(error)).toBe(true);
    // The broken connection was discarded: the next statements work.
    expect(await driver.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(await store.getChat('c1')).toMatchObject({ id: 'c1' });
  });
});
