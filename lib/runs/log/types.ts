import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';

/** One entry of a run's log: a UI message stream chunk, or the terminal entry that ends the run. */
export type LogEntry = ({ kind: 'chunk'; chunk: StreamChunk } | { kind: 'end'; outcome: Outcome }) & {
  /** Position in the log; opaque, increasing; sent as the SSE `id:`. */
  id: string;
  /** When the entry entered the log (ms since the epoch). */
  at: number;
};

/**
 * The run log: where a run's producer writes its frames and every subscriber reads them — the
 * PubSub topic of the design, but durable. Memory (one process) and Redis Streams implement it.
 */
export interface RunLog {
  /** Appends chunks in order (one write for the batch where the backend allows). */
  append(runId: string, chunks: StreamChunk[]): Promise<void>;
  /**
   * Appends the terminal entry unless the run already has one; true if this call ended it.
   * Either way this process's lease on the run is released (in the same write where the backend
   * allows). After the end the log expires (`runLogTtlMs`).
   */
  end(runId: string, outcome: Outcome): Promise<boolean>;
  /**
   * Entries after position `after` (from the start when undefined). When there are none yet,
   * waits up to `waitMs` for more (or until `signal` aborts) and then returns what came, maybe [].
   */
  read(runId: string, after: string | undefined, options: { waitMs: number; signal?: AbortSignal }): Promise<LogEntry[]>;
  /** Asks the producer of the run to stop, from any process. */
  requestStop(runId: string): Promise<void>;
  /** Calls `onStop` once when a stop is requested for the run (also if requested before this call). */
  watchStop(runId: string, onStop: () => void): Promise<() => void>;
  /** Takes or renews the producer's lease on the run for `ttlMs` (`end` releases it). */
  renewLease(runId: string, ttlMs: number): Promise<void>;
  /** False when no live producer holds the lease (it lapsed, or was never taken here). */
  hasLease(runId: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Where a run log on one machine keeps its entries so that they outlive the process: every batch
 * the producer appends is handed here before its readers are woken, and kept a moment later, so a
 * crash loses at most the last batches of an answer.
 */
export interface RunLogArchive {
  /** Keeps a batch of entries (consecutive positions, in order), without waiting for the disk. */
  save(runId: string, entries: readonly LogEntry[]): void;
  /** The run's entries as kept by an earlier process, in order; [] for a run it does not know. */
  load(runId: string): LogEntry[];
  /** The committed entries of the run after `position`, in order. */
  entriesAfter(runId: string, position: number): LogEntry[];
  /** Resolves once everything saved so far is committed: true, or false if that cannot be relied on (a write failed). */
  committed(): Promise<boolean>;
  /** Forgets ended runs whose end is older than `endedBefore`, and anything older than `idleBefore`. */
  forget(endedBefore: number, idleBefore: number): void;
  close(): Promise<void>;
}
