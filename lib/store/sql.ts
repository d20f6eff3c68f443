/**
 * The minimal SQL driver that the one query layer (`SqlStore`, the migrations) runs on, for both
 * SQLite (`node:sqlite`) and Postgres.
 *
 * Rules for SQL written against this interface:
 * - Placeholders are `?`, positional. A Postgres driver rewrites them to `$1..$n` (see
 *   `toPostgresPlaceholders`); never put a literal `?` inside a string in SQL text.
 * - Portable SQL only: TEXT / INTEGER / BIGINT columns, `INSERT … ON CONFLICT … DO UPDATE SET
 *   col = excluded.col`, `COALESCE`, subqueries. No dialect functions (`datetime()`, `now()`, …);
 *   timestamps are ISO-8601 text made in JavaScript.
 * - Result rows are plain objects keyed by column name. TEXT comes back as strings and INTEGER as
 *   numbers in both; the Postgres driver also parses BIGINT (`COUNT(*)`) to a number. Other
 *   Postgres numeric types (NUMERIC, `AVG`) would come back as strings: read them through `Number(...)`.
 */

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | bigint | null;

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** Runs a statement and returns its rows. `Row` is not checked: describe the selected columns. */
  query<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement for its effect; `changes` is the number of rows inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. Use only
   * `tx` inside `fn`. `tx.transaction` nests with a savepoint.
   * SQLite: a write lock is taken up front (`BEGIN IMMEDIATE`) and statements on the outer driver
   * wait until the transaction ends, so read-then-write inside is safe. Postgres (READ COMMITTED,
   * pooled): other statements run meanwhile and nothing is locked up front, so read-then-write must
   * lock what it depends on first (`UPDATE` the row, a unique index, an advisory lock).
   */
  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T>;
  /** Closes the connection(s); waits for a running transaction to end first. */
  close(): Promise<void>;
}

/**
 * Rewrites `?` placeholders to `$1..$n` for Postgres. Skips `?` inside single-quoted strings,
 * double-quoted identifiers and comments, so the one SQL text serves both dialects.
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '?') {
      n += 1;
      out += `$${n}`;
      i += 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}
