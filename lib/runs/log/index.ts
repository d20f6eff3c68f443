import path from 'node:path';
import { getConfig, type Config } from '@/lib/config';
import { MemoryRunLog } from '@/lib/runs/log/memory';
import { RedisRunLog } from '@/lib/runs/log/redis';
import { SqliteRunLogArchive } from '@/lib/runs/log/sqlite-archive';
import type { LogEntry, RunLog } from '@/lib/runs/log/types';

export type { LogEntry, RunLog, RunLogArchive } from '@/lib/runs/log/types';
export { SqliteRunLogArchive } from '@/lib/runs/log/sqlite-archive';
export { MemoryRunLog, type MemoryRunLogOptions } from '@/lib/runs/log/memory';
export { isRunLogUnavailable, RedisRunLog, RunLogUnavailableError, type RedisRunLogOptions } from '@/lib/runs/log/redis';

const globalForRunLog = globalThis as typeof globalThis & { __maestroRunLog?: RunLog };

/** The file of the run log on one machine, beside the store's database. */
export const RUN_LOG_FILE = 'run-log.db';

function openRunLog(config: Config): RunLog {
  if (config.redisUrl) return new RedisRunLog();
  if (config.runLog === 'memory') return new MemoryRunLog();
  return new MemoryRunLog({ archive: new SqliteRunLogArchive(path.join(config.dataDir, RUN_LOG_FILE)) });
}

/**
 * This process's run log: Redis with `REDIS_URL`, else memory written through to SQLite so a restart finds
 * interrupted runs (memory only with `MAESTRO_RUN_LOG=memory`). Kept on globalThis so dev hot reload reuses it.
 */
export function getRunLog(): RunLog {
  globalForRunLog.__maestroRunLog ??= openRunLog(getConfig());
  return globalForRunLog.__maestroRunLog;
}

export type FollowOptions = {
  /** Stops following (the generator returns) when it aborts. */
  signal?: AbortSignal;
  /** How long one read waits for new entries before `onIdle` is called; default config.runLeaseMs. */
  waitMs?: number;
  /**
   * Called whenever a read comes back empty: the caller checks that the run still has a producer
   * (its lease) and, if not, ends it (interrupted) so that the next read returns the terminal entry.
   */
  onIdle?: () => Promise<void>;
};

/**
 * The entries of a run after `after` (from the start when undefined), as they come, in the batches
 * the log returns them, up to and including the terminal entry. Returns early (without an error)
 * when `signal` aborts.
 */
export async function* followBatches(
  log: RunLog,
  runId: string,
  after: string | undefined,
  options: FollowOptions = {},
): AsyncGenerator<LogEntry[], void, undefined> {
  const { signal, onIdle } = options;
  const waitMs = options.waitMs ?? getConfig().runLeaseMs;
  let position = after;
  while (!signal?.aborted) {
    const entries = await log.read(runId, position, { waitMs, signal });
    if (entries.length === 0) {
      if (signal?.aborted) return;
      await onIdle?.();
      continue;
    }
    const end = entries.findIndex((entry) => entry.kind === 'end');
    if (end !== -1) {
      yield entries.slice(0, end + 1);
      return;
    }
    yield entries;
    position = entries.at(-1)?.id;
  }
}

/** The entries of a run one by one; see `followBatches`. */
export async function* follow(
  log: RunLog,
  runId: string,
  after: string | undefined,
  options: FollowOptions = {},
): AsyncGenerator<LogEntry, void, undefined> {
  for await (const batch of followBatches(log, runId, after, options)) yield* batch;
}
