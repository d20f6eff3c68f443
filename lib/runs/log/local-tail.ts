import type { LogEntry } from '@/lib/runs/log/types';
import { waitForWake, wakeAll, type Waiters } from '@/lib/runs/log/waiters';
import { comparePositions } from '@/lib/wire';

type Tail = {
  entries: LogEntry[];
  lastAppendAt: number;
  /** When the run's end was recorded here; the tail is dropped a while later. */
  endedAt: number | undefined;
  waiters: Waiters;
};

/** A tail with nothing new for this long is dropped. */
const IDLE_MS = 5 * 60_000;

/**
 * What this process wrote to the Redis log of its runs, with Redis's positions, so local followers read from
 * memory instead of a round trip per frame. A tail answers only while it holds the whole log: it is forgotten
 * as soon as anything may be missing (an append of unknown outcome, an end written by another process).
 */
export class LocalTails {
  private readonly tails = new Map<string, Tail>();

  constructor(
    private readonly maxEntries: number,
    private readonly keepAfterEndMs: number,
  ) {}

  /** Records entries this process appended; `opened`: they are the first of the run's stream. */
  appended(runId: string, entries: LogEntry[], opened: boolean): void {
    let tail = this.tails.get(runId);
    if (!tail) {
      if (!opened) return;
      tail = { entries: [], lastAppendAt: 0, endedAt: undefined, waiters: new Set() };
      this.tails.set(runId, tail);
    }
    tail.entries.push(...entries);
    tail.lastAppendAt = Date.now();
    if (entries.some((entry) => entry.kind === 'end')) tail.endedAt = Date.now();
    if (tail.entries.length > this.maxEntries) this.forget(runId);
    else wakeAll(tail.waiters);
  }

  /** The tail may no longer hold the whole log: readers go to the shared log from now on. */
  forget(runId: string): void {
    const tail = this.tails.get(runId);
    if (!tail) return;
    this.tails.delete(runId);
    wakeAll(tail.waiters);
  }

  /** The entries after `position` (all when undefined), or undefined when no tail can answer. */
  entriesAfter(runId: string, position: string | undefined): LogEntry[] | undefined {
    const tail = this.tails.get(runId);
    if (!tail) return undefined;
    if (this.expired(tail, Date.now())) {
      this.forget(runId);
      return undefined;
    }
    const entries = tail.entries;
    if (position === undefined) return entries.slice();
    // Most reads ask for what follows the last entry they got: search from the end.
    let index = entries.length;
    while (index > 0 && comparePositions(entries[index - 1]!.id, position) > 0) index -= 1;
    return entries.slice(index);
  }

  /** Resolves on this run's next entry (or when its tail is forgotten), after `waitMs`, or on abort. */
  wait(runId: string, waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    const tail = this.tails.get(runId);
    return tail ? waitForWake(tail.waiters, waitMs, signal) : Promise.resolve();
  }

  /**
   * Drops the tails of runs that ended more than `keepAfterEndMs` ago, or that had nothing new for
   * `IDLE_MS` (a producer whose end could not be written): their readers use Redis.
   */
  sweep(now = Date.now()): void {
    for (const [runId, tail] of this.tails) if (this.expired(tail, now)) this.forget(runId);
  }

  clear(): void {
    for (const runId of [...this.tails.keys()]) this.forget(runId);
  }

  private expired(tail: Tail, now: number): boolean {
    return (tail.endedAt !== undefined && now - tail.endedAt > this.keepAfterEndMs) || now - tail.lastAppendAt > IDLE_MS;
  }
}
