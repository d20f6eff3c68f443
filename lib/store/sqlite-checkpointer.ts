import { Worker } from 'node:worker_threads';

/** How often the write-ahead log is copied back into the database. */
const CHECKPOINT_EVERY_MS = 250;

/**
 * The WAL size (pages) at which a commit checkpoints by itself, a safety net should the checkpointer fall
 * behind: at SQLite's default, commits on the request thread would often copy the log and fsync.
 */
export const AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Runs in its own thread, on its own connection: PASSIVE checkpoints never block the writer, and
 * their fsyncs happen here rather than in the request that crossed the threshold. The source is a
 * string so that the worker needs no file of its own in the server bundle.
 */
const CHECKPOINTER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.filePath, { timeout: workerData.busyTimeoutMs });
setInterval(() => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or gone: the next tick tries again, and the writer's own checkpoint is the safety net.
  }
}, workerData.everyMs);
`;

/** Starts checkpointing the SQLite database at `filePath` from a worker thread; `stop` ends it. */
export function startCheckpointer(filePath: string, busyTimeoutMs: number): { stop: () => Promise<void> } {
  const worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { filePath, busyTimeoutMs, everyMs: CHECKPOINT_EVERY_MS } });
  worker.on('error', (error) => console.error('[maestro] the SQLite checkpointer stopped:', error));
  // It never keeps the process alive on its own.
  worker.unref();
  return {
    stop: async () => {
      await worker.terminate();
    },
  };
}
