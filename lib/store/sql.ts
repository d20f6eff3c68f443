/**
 * The minimal SQL driver under `SqlStore` and the migrations, for SQLite and Postgres. SQL must be portable:
 * positional `?` placeholders (never a literal `?` in a string), no dialect functions, timestamps made in
 * JavaScript; NUMERIC results (`AVG`) come back as strings on Postgres, so read them through `Number(...)`.
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
   * Runs `fn` in a transaction (use only `tx` inside; nesting takes a savepoint). Postgres locks nothing up
   * front, unlike SQLite's `BEGIN IMMEDIATE`, so read-then-write must first lock what it depends on.
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
