import path from 'node:path';
import { getConfig } from '@/lib/config';
import { migrate } from '@/lib/store/migrations';
import { openPostgresDriver, type PostgresOptions } from '@/lib/store/postgres';
import type { SqlDriver } from '@/lib/store/sql';
import { SqlStore } from '@/lib/store/sql-store';
import { openSqliteDriver } from '@/lib/store/sqlite';
import type { Store } from '@/lib/store/types';

/**
 * The store of this process. Server-only: import it from route handlers and server components,
 * never from client components (it loads `node:sqlite` and `pg`).
 */

export type { ChatRecord, ChatSummary, RunRecord, RunStatus, Store } from '@/lib/store/types';
export { ActiveRunExistsError } from '@/lib/store/types';
export { isStoreUnavailable, StoreUnavailableError } from '@/lib/store/postgres';

/** Migrates, then wraps the driver in the query layer; closes the driver if migrating fails. */
async function openStore(driver: SqlDriver): Promise<SqlStore> {
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return new SqlStore(driver);
}

/** A store on the SQLite file at `filePath` (created, with its folder, if missing), migrated. */
export async function openSqliteStore(filePath: string): Promise<Store> {
  return openStore(openSqliteDriver(filePath));
}

/**
 * A store on the Postgres database at `url`, migrated. With `schema`, everything lives in that
 * schema (created if missing) instead of `public`.
 */
export async function openPostgresStore(url: string, options?: PostgresOptions): Promise<Store> {
  return openStore(await openPostgresDriver(url, options));
}

/** The one place that picks the database: Postgres when `DATABASE_URL` is set, else SQLite at `<dataDir>/maestro.db`. */
async function openConfiguredStore(): Promise<SqlStore> {
  const { databaseUrl, dataDir } = getConfig();
  if (databaseUrl) return openStore(await openPostgresDriver(databaseUrl));
  return openStore(openSqliteDriver(path.join(dataDir, 'maestro.db')));
}

/** Cached on globalThis so that Next.js dev hot reload keeps one connection per process. */
const STORE_KEY = Symbol.for('maestro.store');
type GlobalWithStore = typeof globalThis & { [STORE_KEY]?: Promise<SqlStore> };

/** The store of this process: opened and migrated on first use, then shared. */
export async function getStore(): Promise<Store> {
  const g = globalThis as GlobalWithStore;
  const cached = g[STORE_KEY];
  if (cached) {
    const store = await cached;
    if (!store.closed) return store;
    // Closed by someone (a test, shutdown): open a fresh one, unless another caller already did.
    if (g[STORE_KEY] === cached) delete g[STORE_KEY];
    return getStore();
  }
  const opening = openConfiguredStore();
  g[STORE_KEY] = opening;
  // A failed open is not cached: the next call tries again.
  opening.catch(() => {
    if (g[STORE_KEY] === opening) delete g[STORE_KEY];
  });
  return opening;
}

/** Closes the store of this process, if one is open (graceful shutdown, tests). */
export async function closeStore(): Promise<void> {
  const g = globalThis as GlobalWithStore;
  const cached = g[STORE_KEY];
  if (!cached) return;
  delete g[STORE_KEY];
  const store = await cached.catch(() => null);
  await store?.close();
}
