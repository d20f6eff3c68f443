import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { errorCodeOf, isNetworkError } from '@/lib/http/network-error';
import { loadPg } from '@/lib/node/load-package';
import { toPostgresPlaceholders, type SqlDriver, type SqlValue } from '@/lib/store/sql';

/**
 * The Postgres driver on a `pg` pool. Rows come back like SQLite's (BIGINT as numbers, parsed by this pool
 * only); transactions are READ COMMITTED with no up-front write lock, so read-then-write code must lock what
 * it depends on; a lost connection is a `StoreUnavailableError`, so a route answers 503, not 500.
 */

/**
 * Connections per pool (per process). Serverless instances each have their own pool. A burst of
 * new runs (each a handful of queries) queues for these (see `npm run bench`).
 */
const POOL_SIZE = 20;
/**
 * Give up on getting a connection after this long (a new one, or a turn at a busy pool), rather
 * than hang a request: the request then answers 503.
 */
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 10_000;

const INT8_OID = 20;

/** Thrown when Postgres cannot be reached or the connection was lost; the original is its `cause`. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * SQLSTATEs of a server that is unreachable for now: class 08 (connection exception), shutting
 * down or starting up (57P01–57P03), out of connections (53300).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/**
 * Messages of `pg` and `pg-pool` for a lost connection, a connect timeout or an ended pool. They
 * throw these as plain Errors with no code or SQLSTATE: the message is the only signal.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^Client was closed and is not queryable/,
];

function isConnectionFailure(error: unknown): boolean {
  return isNetworkError(error, (inner) => {
    if (inner instanceof StoreUnavailableError) return true;
    const code = errorCodeOf(inner);
    return (
      (code !== undefined && isUnavailableSqlState(code)) ||
      (inner instanceof Error && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(inner.message)))
    );
  });
}

/**
 * True when `error` means the database is unreachable (refused, lost, timed out, the pool ended…):
 * answer 503, not 500. False for errors of the statement itself (bad SQL, a constraint).
 */
export function isStoreUnavailable(error: unknown): boolean {
  return isConnectionFailure(error);
}

/** Rethrows `error`, as a StoreUnavailableError when it is a connection failure. */
function surface(error: unknown): never {
  if (error instanceof StoreUnavailableError || !isConnectionFailure(error)) throw error;
  const reason = error instanceof Error ? error.message || error.name : String(error);
  throw new StoreUnavailableError(`Postgres is unavailable: ${reason}`, { cause: error });
}

/** Postgres error codes for "that schema exists already" (also raised by racing IF NOT EXISTS). */
const ALREADY_EXISTS_CODES = new Set(['42P06', '23505']);

/**
 * A statement as `pg` runs it: `$n` placeholders, and a name when it takes parameters, so that
 * each connection parses and plans it once instead of on every run. Statements without parameters
 * (DDL, BEGIN) stay unnamed: they run once or cannot be prepared. Made once per SQL text.
 */
type Statement = { name: string | undefined; text: string };
const statements = new Map<string, Statement>();
function statement(sql: string, params: readonly SqlValue[]): QueryConfig<SqlValue[]> {
  let made = statements.get(sql);
  if (!made) {
    made = { name: params.length > 0 ? `maestro_${statements.size}` : undefined, text: toPostgresPlaceholders(sql) };
    statements.set(sql, made);
  }
  return { name: made.name, text: made.text, values: [...params] };
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    this.ensureOpen();
    try {
      const result = await this.pool.query<Row & QueryResultRow, SqlValue[]>(statement(sql, params));
      return result.rows;
    } catch (error) {
      return surface(error);
    }
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    this.ensureOpen();
    try {
      const result = await this.pool.query(statement(sql, params));
      return { changes: result.rowCount ?? 0 };
    } catch (error) {
      return surface(error);
    }
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    this.ensureOpen();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      return surface(error);
    }
    // A connection lost while checked out is reported as an 'error' event on the client: without a
    // listener that would crash the process. The failing statement rejects on its own.
    let lost: unknown;
    const onError = (error: unknown) => {
      lost ??= error;
    };
    client.on('error', onError);
    const tx = new PostgresTransaction(client);
    try {
      await tx.exec('BEGIN');
      const result = await fn(tx);
      await tx.exec('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is broken: it must not go back to the pool.
        lost ??= rollbackError;
      }
      return surface(error);
    } finally {
      tx.finish();
      client.off('error', onError);
      // Releasing with an error destroys the connection instead of reusing it.
      client.release(lost === undefined ? undefined : lost instanceof Error ? lost : new Error(String(lost)));
    }
  }

  /** Ends the pool; statements already running (and open transactions) finish first. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = this.pool.end();
    }
    return this.closing;
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailableError('The Postgres store is closed');
  }
}

/** The handle a transaction's callback gets: runs on the transaction's own connection. */
class PostgresTransaction implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly client: PoolClient;
  private active = true;
  private savepoints = 0;

  constructor(client: PoolClient) {
    this.client = client;
  }

  async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    this.ensureActive();
    const result = await this.client.query<Row & QueryResultRow, SqlValue[]>(statement(sql, params));
    return result.rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    this.ensureActive();
    const result = await this.client.query(statement(sql, params));
    return { changes: result.rowCount ?? 0 };
  }

  /** A savepoint inside this transaction: a failure in `fn` undoes only what `fn` did. */
  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    this.ensureActive();
    this.savepoints += 1;
    const name = `maestro_sp_${this.savepoints}`;
    try {
      await this.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(this);
        await this.exec(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await this.exec(`ROLLBACK TO SAVEPOINT ${name}`);
        await this.exec(`RELEASE SAVEPOINT ${name}`);
        throw error;
      }
    } finally {
      this.savepoints -= 1;
    }
  }

  async close(): Promise<void> {
    throw new Error('Close the driver, not a transaction');
  }

  /** A statement without parameters (transaction control). */
  async exec(sql: string): Promise<void> {
    this.ensureActive();
    await this.client.query(sql);
  }

  finish(): void {
    this.active = false;
  }

  private ensureActive(): void {
    if (!this.active) throw new Error('This transaction has already ended');
  }
}

export type PostgresOptions = {
  /**
   * A schema to work in instead of `public`: created if missing and set as the `search_path` of
   * every pooled connection (tests use a fresh one each).
   */
  schema?: string;
};

/**
 * A driver on the Postgres database at `url` (a `postgres://` connection string). When a schema is
 * given it is created here, so this connects once; otherwise connections are made on first use.
 * Migrations are not applied here (see `migrate`).
 */
export async function openPostgresDriver(url: string, options: PostgresOptions = {}): Promise<SqlDriver> {
  const { schema } = options;
  if (schema !== undefined && schema.trim() === '') throw new Error('A Postgres schema name must not be empty');

  const { escapeIdentifier, Pool, TypeOverrides } = loadPg();
  const types = new TypeOverrides();
  types.setTypeParser(INT8_OID, 'text', (value: string) => Number(value));
  const searchPath = schema === undefined ? undefined : `SET search_path TO ${escapeIdentifier(schema)}`;
  const pool = new Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    // Idle connections do not keep a script or a test process alive.
    allowExitOnIdle: true,
    application_name: 'maestro',
    types,
    onConnect:
      searchPath === undefined
        ? undefined
        : async (client) => {
            await client.query(searchPath);
          },
  });
  // An idle connection that fails (the server restarted, a proxy dropped it) is reported here and
  // then removed by the pool; without a listener the 'error' event would crash the process.
  pool.on('error', (error) => {
    console.error(`Postgres: an idle connection failed (${error.message}); the pool will reconnect.`);
  });

  const driver = new PostgresDriver(pool);
  if (schema !== undefined) {
    try {
      await driver.run(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(schema)}`);
    } catch (error) {
      // Two instances creating it at once: one of them may see a duplicate even with IF NOT EXISTS.
      if (!ALREADY_EXISTS_CODES.has(errorCodeOf(error) ?? '')) {
        await driver.close();
        throw error;
      }
    }
  }
  return driver;
}
