import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqlDriver, SqlValue } from '@/lib/store/sql';
import { AUTOCHECKPOINT_PAGES, startCheckpointer } from '@/lib/store/sqlite-checkpointer';

/**
 * The SQLite driver on `node:sqlite`. Drivers of one process on one file share an async lock held per
 * transaction, so a second connection waits its turn rather than block the event loop in SQLite's busy
 * handler (a deadlock); other processes are kept apart by `BEGIN IMMEDIATE` + `busy_timeout`.
 */

const BUSY_TIMEOUT_MS = 5000;
const STATEMENT_CACHE_SIZE = 100;

/** FIFO async mutex. */
class Mutex {
  private locked = false;
  private readonly waiters: Array<() => void> = [];

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.locked) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      this.locked = true;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.locked = false;
    }
  }
}

/** One lock per database file per process; on globalThis so that dev hot reload shares it too. */
const LOCKS_KEY = Symbol.for('maestro.store.sqliteLocks');
type GlobalWithLocks = typeof globalThis & { [LOCKS_KEY]?: Map<string, Mutex> };

function lockFor(filePath: string): Mutex {
  if (filePath === ':memory:') return new Mutex();
  const g = globalThis as GlobalWithLocks;
  const locks = (g[LOCKS_KEY] ??= new Map());
  const key = path.resolve(filePath);
  let lock = locks.get(key);
  if (!lock) {
    lock = new Mutex();
    locks.set(key, lock);
  }
  return lock;
}

/**
 * Rolls back after a failure. SQLite has already rolled the whole transaction back by itself after
 * some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, SQLITE_NOMEM), and then this statement fails
 * with "no transaction is active": the original error is the one worth throwing.
 */
function rollbackQuietly(db: DatabaseSync, sql: string): void {
  try {
    db.exec(sql);
  } catch {
    // Nothing left to roll back.
  }
}

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly lock: Mutex;
  private readonly statements = new Map<string, StatementSync>();
  private closed = false;
  private savepoints = 0;
  private readonly onClose: () => Promise<void>;

  constructor(db: DatabaseSync, lock: Mutex, onClose: () => Promise<void> = async () => {}) {
    this.db = db;
    this.lock = lock;
    this.onClose = onClose;
  }

  query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.lock.run(() => this.queryNow<Row>(sql, params));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return this.lock.run(() => this.runNow(sql, params));
  }

  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      this.ensureOpen();
      this.db.exec('BEGIN IMMEDIATE');
      const tx = new SqliteTransaction(this);
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        rollbackQuietly(this.db, 'ROLLBACK');
        throw error;
      } finally {
        tx.finish();
      }
    });
  }

  close(): Promise<void> {
    return this.lock.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.statements.clear();
      await this.onClose();
      this.db.close();
    });
  }

  /** Runs without taking the lock: for the transaction that already holds it. */
  queryNow<Row extends object>(sql: string, params: readonly SqlValue[]): Row[] {
    return this.prepare(sql).all(...params) as Row[];
  }

  runNow(sql: string, params: readonly SqlValue[]): { changes: number } {
    const result = this.prepare(sql).run(...params);
    return { changes: Number(result.changes) };
  }

  /** `fn` inside a savepoint of the open transaction (a nested `transaction`). */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    this.savepoints += 1;
    const name = `maestro_sp_${this.savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      rollbackQuietly(this.db, `ROLLBACK TO ${name}`);
      rollbackQuietly(this.db, `RELEASE ${name}`);
      throw error;
    } finally {
      this.savepoints -= 1;
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('The SQLite store is closed');
  }

  private prepare(sql: string): StatementSync {
    this.ensureOpen();
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** The handle a transaction's callback gets: runs on the connection that holds the lock. */
class SqliteTransaction implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly driver: SqliteDriver;
  private active = true;

  constructor(driver: SqliteDriver) {
    this.driver = driver;
  }

  async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    this.ensureActive();
    return this.driver.queryNow<Row>(sql, params);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    this.ensureActive();
    return this.driver.runNow(sql, params);
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    this.ensureActive();
    return this.driver.savepoint(() => fn(this));
  }

  async close(): Promise<void> {
    throw new Error('Close the driver, not a transaction');
  }

  finish(): void {
    this.active = false;
  }

  private ensureActive(): void {
    if (!this.active) throw new Error('This transaction has already ended');
  }
}

/**
 * Opens (creating it and its folder if missing) the SQLite database at `filePath`; `:memory:` for
 * a private in-memory one. Migrations are not applied here (see `migrate`).
 */
export function openSqliteDriver(filePath: string): SqlDriver {
  if (filePath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const db = new DatabaseSync(filePath, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
  try {
    // busy_timeout first: switching to WAL needs a lock that another process may be holding.
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA synchronous = NORMAL');
    if (filePath !== ':memory:') db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  } catch (error) {
    db.close();
    throw error;
  }
  if (filePath === ':memory:') return new SqliteDriver(db, lockFor(filePath));
  const checkpointer = startCheckpointer(path.resolve(filePath), BUSY_TIMEOUT_MS);
  return new SqliteDriver(db, lockFor(filePath), checkpointer.stop);
}
