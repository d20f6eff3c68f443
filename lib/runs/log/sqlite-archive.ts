import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';
import { chunkJson } from '@/lib/runs/log/entry-json';
import type { LogEntry, RunLogArchive } from '@/lib/runs/log/types';
import { AUTOCHECKPOINT_PAGES } from '@/lib/store/sqlite-checkpointer';

/** One row per batch: its first entry's position, and the chunks (a JSON array) or the end's outcome. */
type SavedRow = [runId: string, position: number, at: number, chunksJson: string | null, outcome: Outcome | null];
type StoredRow = { position: number; at: number; chunks: string | null; outcome: string | null };

type ToWriter =
  | { type: 'save'; rows: SavedRow[] }
  | { type: 'forget'; endedBefore: number; idleBefore: number }
  | { type: 'flush'; ack: number }
  | { type: 'close' };
type FromWriter = { type: 'flushed'; ack: number } | { type: 'closed' } | { type: 'error'; of: ToWriter['type']; message: string };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS run_log (
  run_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  at INTEGER NOT NULL,
  chunks TEXT,
  outcome TEXT,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS run_log_at ON run_log (at);
`;

const BUSY_TIMEOUT_MS = 5_000;
/** How often the writer copies the write-ahead log back into the database. */
const CHECKPOINT_EVERY_MS = 250;

/**
 * The writer thread: its own connection; every message of batches is one transaction (one commit,
 * whatever the number of runs and chunks in it), and it checkpoints the write-ahead log between
 * them. The source is a string so that the worker needs no file of its own in the server bundle.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.filePath, { timeout: workerData.busyTimeoutMs });
db.exec('PRAGMA synchronous = NORMAL');
db.exec('PRAGMA wal_autocheckpoint = ' + workerData.autocheckpointPages);
const insert = db.prepare('INSERT OR IGNORE INTO run_log (run_id, position, at, chunks, outcome) VALUES (?, ?, ?, ?, ?)');
const forgetEnded = db.prepare('DELETE FROM run_log WHERE run_id IN (SELECT run_id FROM run_log WHERE at < ? AND outcome IS NOT NULL)');
const forgetIdle = db.prepare('DELETE FROM run_log WHERE at < ?');
const checkpoint = setInterval(() => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // Busy: the next tick tries again.
  }
}, workerData.checkpointEveryMs);
parentPort.on('message', (message) => {
  try {
    if (message.type === 'save') {
      db.exec('BEGIN');
      try {
        for (const [runId, position, at, chunksJson, outcome] of message.rows) insert.run(runId, position, at, chunksJson, outcome);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    } else if (message.type === 'forget') {
      forgetEnded.run(message.endedBefore);
      forgetIdle.run(message.idleBefore);
    } else if (message.type === 'flush') {
      parentPort.postMessage({ type: 'flushed', ack: message.ack });
    } else if (message.type === 'close') {
      clearInterval(checkpoint);
      db.close();
      parentPort.postMessage({ type: 'closed' });
      parentPort.close();
    }
  } catch (error) {
    parentPort.postMessage({ type: 'error', of: message.type, message: String((error && error.message) || error) });
  }
});
`;

/**
 * The archive in its own SQLite file, so its writes and the store's never wait for each other. Each event-loop
 * turn's batches go to a writer thread as one transaction (`synchronous = NORMAL`: a killed process loses only
 * uncommitted batches). Reads serve the runs of the process before a restart, and ended runs once committed.
 */
export class SqliteRunLogArchive implements RunLogArchive {
  private readonly db: DatabaseSync;
  private readonly select: StatementSync;
  /** Runs the file held when it was opened, not read back yet. */
  private readonly earlier: Set<string>;
  private readonly writer: Worker;
  private pending: SavedRow[] = [];
  /** Who waits for the commit of the post on its way (`committed`). */
  private afterNextPost: Array<() => void> = [];
  private posting = false;
  private nextAck = 0;
  private readonly flushes = new Map<number, () => void>();
  private closing: Promise<void> | undefined;
  private exited = false;
  /** A write failed once: from then on nothing is taken for committed (memory keeps what it holds). */
  private writeFailed = false;

  constructor(filePath: string) {
    fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    this.db = new DatabaseSync(filePath, { timeout: BUSY_TIMEOUT_MS });
    try {
      this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec(SCHEMA);
      // From the batch that holds the entry after `position` on: a batch starts at or before it.
      this.select = this.db.prepare(
        'SELECT position, at, chunks, outcome FROM run_log WHERE run_id = ?1 AND position >= coalesce((SELECT max(position) FROM run_log WHERE run_id = ?1 AND position <= ?2 + 1), 0) ORDER BY position',
      );
      const runs = this.db.prepare('SELECT DISTINCT run_id FROM run_log').all() as Array<{ run_id: string }>;
      this.earlier = new Set(runs.map((row) => row.run_id));
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.writer = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: {
        filePath: path.resolve(filePath),
        busyTimeoutMs: BUSY_TIMEOUT_MS,
        autocheckpointPages: AUTOCHECKPOINT_PAGES,
        checkpointEveryMs: CHECKPOINT_EVERY_MS,
      },
    });
    this.writer.on('message', (message: FromWriter) => this.received(message));
    this.writer.on('error', (error) => console.error('[maestro] the run log writer stopped:', error));
    this.writer.once('exit', () => {
      this.exited = true;
      // Whatever was not acknowledged before the thread went is not committed.
      this.writeFailed = true;
      for (const resolve of this.flushes.values()) resolve();
      this.flushes.clear();
    });
    // It never keeps the process alive on its own.
    this.writer.unref();
  }

  save(runId: string, entries: readonly LogEntry[]): void {
    const first = entries[0];
    if (!first) return;
    // The rows go to the writer as JSON text, made with the JSON every follower sends: copying a
    // string to the thread costs less than cloning the chunks' objects.
    const chunks: string[] = [];
    let outcome: Outcome | null = null;
    for (const entry of entries) {
      if (entry.kind === 'chunk') chunks.push(chunkJson(entry.chunk));
      else outcome = entry.outcome;
    }
    if (chunks.length > 0) this.pending.push([runId, Number(first.id), first.at, `[${chunks.join(',')}]`, null]);
    // The end is a row of its own; it is always the last entry of its batch.
    const end = entries.at(-1);
    if (outcome !== null && end) this.pending.push([runId, Number(end.id), end.at, null, outcome]);
    if (this.posting) return;
    this.posting = true;
    // What every run appends in this turn goes to the writer as one message.
    setImmediate(() => this.post());
  }

  load(runId: string): LogEntry[] {
    if (!this.earlier.delete(runId)) return [];
    return this.entriesAfter(runId, 0);
  }

  entriesAfter(runId: string, position: number): LogEntry[] {
    const entries: LogEntry[] = [];
    for (const row of this.select.all(runId, position) as StoredRow[]) {
      if (row.outcome !== null) {
        if (row.position > position) entries.push({ id: String(row.position), at: row.at, kind: 'end', outcome: row.outcome as Outcome });
        break;
      }
      const chunks = JSON.parse(row.chunks ?? '[]') as StreamChunk[];
      chunks.forEach((chunk, i) => {
        if (row.position + i > position) entries.push({ id: String(row.position + i), at: row.at, kind: 'chunk', chunk });
      });
    }
    return entries;
  }

  committed(): Promise<boolean> {
    // A post is on its way (the end just saved): wait for its commit, asked once for all who wait on it.
    const kept = this.posting ? new Promise<void>((resolve) => this.afterNextPost.push(resolve)) : this.flush();
    return kept.then(() => !this.writeFailed);
  }

  forget(endedBefore: number, idleBefore: number): void {
    this.send({ type: 'forget', endedBefore, idleBefore });
  }

  /** Resolves when everything saved so far is committed. */
  flush(): Promise<void> {
    this.post();
    return this.acknowledged();
  }

  /** Resolves once the writer has handled every message sent before this one. */
  private acknowledged(): Promise<void> {
    if (this.exited) return Promise.resolve();
    const ack = this.nextAck++;
    return new Promise((resolve) => {
      this.flushes.set(ack, resolve);
      this.send({ type: 'flush', ack });
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      if (!this.exited) {
        const exited = new Promise<void>((resolve) => this.writer.once('exit', () => resolve()));
        this.send({ type: 'close' });
        await exited;
      }
      this.db.close();
    })();
    return this.closing;
  }

  private post(): void {
    this.posting = false;
    if (this.pending.length > 0) {
      const rows = this.pending;
      this.pending = [];
      this.send({ type: 'save', rows });
    }
    const waiting = this.afterNextPost;
    if (waiting.length === 0) return;
    this.afterNextPost = [];
    void this.acknowledged().then(() => waiting.forEach((resolve) => resolve()));
  }

  private send(message: ToWriter): void {
    this.writer.postMessage(message);
  }

  private received(message: FromWriter): void {
    if (message.type === 'flushed') {
      this.flushes.get(message.ack)?.();
      this.flushes.delete(message.ack);
    } else if (message.type === 'error' && message.of !== 'save') {
      // A sweep that could not delete (busy or full) leaves every saved row in place: the next one tries again.
      console.error(`[maestro] the run log writer could not ${message.of}:`, message.message);
    } else if (message.type === 'error') {
      this.writeFailed = true;
      // The answers go on from memory; only what a crash would keep of them is at stake.
      console.error('[maestro] the run log writer failed:', message.message);
    }
  }
}
