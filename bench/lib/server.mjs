// Starts Maestro's production build (`next start`, after `npm run build`) for a benchmark, on the
// embedded default (SQLite, the run log written through to SQLite), the embedded default with the
// run log in memory only, or scaled out (Postgres + Redis).
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sleep } from './stats.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The secret every benchmarked server signs identities with (see `signedIdentityCookie`). */
export const BENCH_AUTH_SECRET = 'benchmark-secret-0123456789abcdef0123456789';

/**
 * An identity cookie signed as Maestro signs them (lib/auth/identity.ts), for a request that comes
 * before any page was loaded: a returning user's first message to a fresh instance.
 */
export function signedIdentityCookie(id = randomUUID()) {
  return `maestro_id=${id}.${createHmac('sha256', BENCH_AUTH_SECRET).update(id).digest('base64url')}`;
}

/**
 * The deployments every server benchmark measures. `embedded-memory` is `embedded` with the run log
 * in memory only (MAESTRO_RUN_LOG=memory): beside it, what writing the log through to SQLite costs.
 */
export const BACKENDS = ['embedded', 'embedded-memory', 'scaled'];

async function createDatabase() {
  const name = `maestro_bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Waits until the server answers `GET probePath` (any status: it is listening and routing); returns the ms it took. */
export async function waitUntilUp(url, child, output, probePath = '/api/models', timeoutMs = 60_000) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output.join('')}`);
    try {
      await fetch(`${url}${probePath}`);
      return performance.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`the server did not start within ${timeoutMs} ms:\n${output.join('')}`);
}

/** Runs `node <args>` from the repository root with `env` added; its output is kept for errors. */
function spawnNode(args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', (data) => output.push(data.toString()));
  child.stderr.on('data', (data) => output.push(data.toString()));
  return { child, output };
}

/** Asks a child process to exit (SIGTERM, so a `--cpu-prof` profile is written), and kills it after 5 s. */
async function stopChild(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');

/** Runs `next start` for the app in `dir` on `port`; returns { url, pid, child, output, spawnedAt, stop }. */
function startNext({ dir, port, env, cleanup = async () => {} }) {
  const { child, output } = spawnNode([NEXT_BIN, 'start', dir, '-p', String(port), '-H', '127.0.0.1'], env);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    child,
    output,
    spawnedAt: performance.now(),
    async stop() {
      await stopChild(child);
      await cleanup();
    },
  };
}

async function ready(server, probePath) {
  try {
    await waitUntilUp(server.url, server.child, server.output, probePath);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Starts Maestro (`next start`) on `port` with a fresh data folder (and a fresh Postgres database
 * when scaled). `delayMs` is the offline model's pause between words. Returns { url, pid, stop }.
 */
export async function startMaestro({ port, backend = 'embedded', delayMs = 0, env = {}, waitUntilReady = true }) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'maestro-bench-'));
  const database = backend === 'scaled' ? await createDatabase() : undefined;
  const server = startNext({
    // BENCH_MAESTRO_DIR: another checkout's build, to compare two builds in one run.
    dir: process.env.BENCH_MAESTRO_DIR ?? '.',
    port,
    env: {
      MAESTRO_DATA_DIR: dataDir,
      MAESTRO_OFFLINE_DELAY_MS: String(delayMs),
      MAESTRO_RATE_LIMIT_PER_MINUTE: '0',
      MAESTRO_FRAME_TIMES: 'true',
      AUTH_SECRET: BENCH_AUTH_SECRET,
      ...(database ? { DATABASE_URL: database.url, REDIS_URL } : {}),
      ...(backend === 'embedded-memory' ? { MAESTRO_RUN_LOG: 'memory' } : {}),
      ...env,
    },
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop().catch(() => undefined);
    },
  });
  server.backend = backend;
  return waitUntilReady ? ready(server, '/api/models') : server;
}

const PLAIN_ROUTE_APP = 'bench/baselines/plain-next';

let plainRouteBuilt;

/** Builds the plain route's Next.js app (bench/baselines/plain-next), as `npm run build` builds Maestro; once per run. */
export function buildPlainRoute() {
  plainRouteBuilt ??= (async () => {
    const { child, output } = spawnNode([NEXT_BIN, 'build', PLAIN_ROUTE_APP]);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`building the plain route failed:\n${output.join('')}`);
  })();
  return plainRouteBuilt;
}

/** Starts the plain route's app (built by `buildPlainRoute`) on `port`. */
export async function startPlainRoute({ port, delayMs = 0, env = {}, waitUntilReady = true }) {
  const server = startNext({ dir: PLAIN_ROUTE_APP, port, env: { MAESTRO_OFFLINE_DELAY_MS: String(delayMs), ...env } });
  return waitUntilReady ? ready(server, '/api/chats/probe/messages') : server;
}

/** Starts a baseline server (bench/baselines/<name>-server.mjs) on `port`; resolves once it is listening. */
export async function startBaseline(name, port, args = [], env = {}) {
  const { child, output } = spawnNode([path.join(ROOT, 'bench/baselines', `${name}-server.mjs`), String(port), ...args], env);
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (data) => data.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`baseline ${name} exited (${code}):\n${output.join('')}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => stopChild(child) };
}
