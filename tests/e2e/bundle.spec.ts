import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * No secret reaches the browser: the client bundle (.next/static, built by `npm run build` before
 * the end-to-end tests) holds neither the names nor the values of the server's secrets, nor the
 * server-only modules (configuration, store) that read them.
 */

const STATIC_DIR = path.join(process.cwd(), '.next', 'static');

const SECRET_NAMES = [
  'GOOGLE_GENERATIVE_AI_API_KEY',
  'OPENAI_API_KEY',
  'OPENAI_COMPATIBLE_API_KEY',
  'AUTH_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
] as const;

/** Strings only server code has: lib/config.ts, lib/store (SQLite, migrations), identities. */
const SERVER_ONLY = ['node:sqlite', 'MAESTRO_RUN_LOG_MAX_ENTRIES', 'Invalid configuration: ', 'schema_migrations'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** The text of every client file (binary files too: a secret could hide in a source map). */
function clientFiles(): { file: string; text: string }[] {
  return filesUnder(STATIC_DIR).map((file) => ({ file: path.relative(process.cwd(), file), text: readFileSync(file, 'latin1') }));
}

function filesContaining(files: { file: string; text: string }[], needle: string): string[] {
  return files.filter(({ text }) => text.includes(needle)).map(({ file }) => file);
}

test.describe('the client bundle', () => {
  test.skip(!existsSync(STATIC_DIR), 'no build: run `npm run build` first');

  test('is really the client bundle of this app', () => {
    const files = clientFiles();
    expect(files.filter(({ file }) => file.endsWith('.js')).length).toBeGreaterThan(0);
    // A string of the chat UI: the scan looks where the browser's code is.
    expect(files.some(({ text }) => text.includes('Send message'))).toBe(true);
  });

  test('holds no name of a server secret', () => {
    const files = clientFiles();
    for (const name of SECRET_NAMES) expect(filesContaining(files, name), name).toEqual([]);
  });

  test('holds no value of a server secret set in this environment', () => {
    const files = clientFiles();
    const values = SECRET_NAMES.map((name) => [name, process.env[name]?.trim() ?? ''] as const)
      // A very short value (e.g. "x") would match by chance; real secrets and URLs are longer.
      .filter(([, value]) => value.length >= 8);
    for (const [name, value] of values) expect(filesContaining(files, value), `value of ${name}`).toEqual([]);
  });

  test('holds no server-only module (configuration, store)', () => {
    const files = clientFiles();
    for (const marker of SERVER_ONLY) expect(filesContaining(files, marker), marker).toEqual([]);
  });
});
