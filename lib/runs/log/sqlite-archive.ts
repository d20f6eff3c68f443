import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';
import type { LogEntry, RunLogArchive } from '@/lib/runs/log/types';
import { AUTOCHECKPOINT_PAGES, startCheckpointer } from '@/lib/store/sqlite-checkpointer';

type Row = { position: number; at: number; chunks: string | null; outcome: string | null };

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

/**
 * The archive in a SQLite file of its own (beside the store's, not in it: its writes never wait
 * for the store's transactions, nor the store's for them). One row per batch, the chunks as one
 * JSON array: one statement per append, whatever its size. Write-ahead log with
 * `synchronous = NORMAL`: a commit is in the operating system's hands at once, so a killed process
 * loses nothing; only a power cut can lose the last commits. Checkpoints run on a worker thread.
 */
export class SqliteRunLogArchive implements RunLogArchive {
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;
  private readonly select: StatementSync;
  private readonly forgetEnded: StatementSync;
  private readonly forgetIdle: StatementSync;
  private readonly checkpointer: { stop: () => Promise<void> };

  constructor(filePath: string) {
    fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    this.db = new DatabaseSync(filePath, { timeout: BUSY_TIMEOUT_MS });
    try {
      this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      this.db.exec(SCHEMA);
      this.insert = this.db.prepare('INSERT OR IGNORE INTO run_log (run_id, position, at, chunks, outcome) VALUES (?, ?, ?, ?, ?)');
      this.select = this.db.prepare('SELECT position, at, chunks, outcome FROM run_log WHERE run_id = ? ORDER BY position');
      this.forgetEnded = this.db.prepare(
        'DELETE FROM run_log WHERE run_id IN (SELECT run_id FROM run_log WHERE at < ? AND outcome IS NOT NULL)',
      );
      this.forgetIdle = this.db.prepare('DELETE FROM run_log WHERE at < ?');
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.checkpointer = startCheckpointer(path.resolve(filePath), BUSY_TIMEOUT_MS);
  }

  save(runId: string, entries: readonly LogEntry[]): void {
    const chunks: StreamChunk[] = [];
    for (const entry of entries) {
      if (entry.kind === 'chunk') {
        chunks.push(entry.chunk);
        continue;
      }
      // The end is a row of its own; it is always the last entry of its batch.
      if (chunks.length > 0) this.saveChunks(runId, entries[0]!, chunks);
      this.insert.run(runId, Number(entry.id), entry.at, null, entry.outcome);
      return;
    }
    if (chunks.length > 0) this.saveChunks(runId, entries[0]!, chunks);
  }

  load(runId: string): LogEntry[] {
    const entries: LogEntry[] = [];
    for (const row of this.select.all(runId) as Row[]) {
      if (row.outcome !== null) {
        entries.push({ id: String(row.position), at: row.at, kind: 'end', outcome: row.outcome as Outcome });
        break;
      }
      const chunks = JSON.parse(row.chunks ?? '[]') as StreamChunk[];
      chunks.forEach((chunk, i) => entries.push({ id: String(row.position + i), at: row.at, kind: 'chunk', chunk }));
    }
    return entries;
  }

  forget(endedBefore: number, idleBefore: number): void {
    this.forgetEnded.run(endedBefore);
    this.forgetIdle.run(idleBefore);
  }

  async close(): Promise<void> {
    await this.checkpointer.stop();
    if (this.db.isOpen) this.db.close();
  }

  private saveChunks(runId: string, first: LogEntry, chunks: StreamChunk[]): void {
    this.insert.run(runId, Number(first.id), first.at, JSON.stringify(chunks), null);
  }
}
