import path from 'node:path';
import { getConfig } from '@/lib/config';
import { migrate } from '@/lib/store/migrations';
import type { SqlDriver } from '@/lib/store/sql';
import { SqlStore } from '@/lib/store/sql-store';
import { openSqliteDriver } from '@/lib/store/sqlite';
import type { Store } from '@/lib/store/types';

/**
 * The store of this process. Server-only: import it from route handlers and server components,
 * never from client components (it loads `node:sqlite`).
 */

export type { ChatSummary, Store } from '@/lib/store/types';

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
 * The one place that picks the database. SQLite at `<dataDir>/maestro.db` for now.
 * Postgres plugs in here: when `DATABASE_URL` is set, open a Postgres `SqlDriver` (it rewrites `?`
 * placeholders with `toPostgresPlaceholders`) and pass it to `openStore` like the SQLite one.
 */
async function openConfiguredStore(): Promise<SqlStore> {
  if (process.env.DATABASE_URL) {
    console.warn('DATABASE_URL is set, but the Postgres store is not built yet: using SQLite.');
  }
  return openStore(openSqliteDriver(path.join(getConfig().dataDir, 'maestro.db')));
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
