import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';
import { getConfig } from '@/lib/config';
import type { LogEntry, RunLog, RunLogArchive } from '@/lib/runs/log/types';
import { StopWatchers, waitForWake, wakeAll, type Waiters } from '@/lib/runs/log/waiters';
import { isMemoryPosition } from '@/lib/wire';

export type MemoryRunLogOptions = {
  /** Most entries one run keeps; older ones are dropped (like Redis `MAXLEN ~`). */
  maxEntries?: number;
  /** How long a run's log stays readable after its end. */
  ttlMs?: number;
  /** A run that is never ended is dropped after this long without an append. */
  idleTtlMs?: number;
  /**
   * Where every entry is also kept, so that the log outlives the process: each batch is handed to it
   * before readers are woken. A run of the process before a restart, and an ended run once committed
   * there, is read back from it.
   */
  archive?: RunLogArchive;
};

type RunState = {
  entries: LogEntry[];
  /** How many entries were dropped from the front; entry `entries[i]` has position `dropped + i + 1`. */
  dropped: number;
  ended: boolean;
  /** Its entries are no longer held here: the run ended and the archive has committed all of it. */
  archived: boolean;
  /** When the run is forgotten: `ttlMs` after its end, or `idleTtlMs` after its last append. */
  expiresAt: number;
};

const DAY_MS = 24 * 60 * 60_000;

/** Positions are "1", "2", …; anything that is not one reads from the start. */
function parsePosition(after: string | undefined): number {
  if (after === undefined || !isMemoryPosition(after)) return 0;
  return Number(after);
}

/** The position the run's next entry gets. */
function nextPosition(run: RunState): number {
  return run.dropped + run.entries.length + 1;
}

/** How often expired runs are swept away, at most. */
const MAX_SWEEP_EVERY_MS = 30_000;

/**
 * One process's run log: entries per run, readers woken by appends; after the end, appends are ignored and the
 * run is dropped `ttlMs` later. An `archive` lets a restart read what interrupted runs wrote, and holds ended runs in
 * memory's place. Expiry is one sweep,
 * not a timer per run, since a timer would keep its starting request's async context in memory until expiry.
 */
export class MemoryRunLog implements RunLog {
  private readonly runs = new Map<string, RunState>();
  private readonly waiters = new Map<string, Waiters>();
  /** Runs asked to stop, and when that flag is forgotten. */
  private readonly stops = new Map<string, number>();
  private readonly stopWatchers = new StopWatchers();
  private readonly leases = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly idleTtlMs: number;
  private readonly archive: RunLogArchive | undefined;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(options: MemoryRunLogOptions = {}) {
    const config = options.maxEntries === undefined || options.ttlMs === undefined ? getConfig() : undefined;
    this.maxEntries = options.maxEntries ?? config?.runLogMaxEntries ?? 20_000;
    this.ttlMs = options.ttlMs ?? config?.runLogTtlMs ?? 10 * 60_000;
    this.idleTtlMs = options.idleTtlMs ?? DAY_MS;
    this.archive = options.archive;
    const sweepEveryMs = Math.min(MAX_SWEEP_EVERY_MS, Math.max(1, Math.floor(Math.min(this.ttlMs, this.idleTtlMs) / 4)));
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  async append(runId: string, chunks: StreamChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const run = this.live(runId) ?? this.create(runId);
    if (run.ended) return;
    const at = Date.now();
    const first = nextPosition(run);
    const entries = chunks.map((chunk, i): LogEntry => ({ id: String(first + i), at, kind: 'chunk', chunk }));
    this.archive?.save(runId, entries);
    for (const entry of entries) this.push(run, entry);
    run.expiresAt = at + this.idleTtlMs;
    this.wake(runId);
  }

  async end(runId: string, outcome: Outcome): Promise<boolean> {
    // One process: any lease on the run is this process's.
    this.leases.delete(runId);
    const run = this.live(runId) ?? this.create(runId);
    if (run.ended) return false;
    const entry: LogEntry = { id: String(nextPosition(run)), at: Date.now(), kind: 'end', outcome };
    this.archive?.save(runId, [entry]);
    run.ended = true;
    this.push(run, entry);
    run.expiresAt = entry.at + this.ttlMs;
    this.wake(runId);
    if (this.archive) void this.archive.committed().then((kept) => kept && this.release(runId, run));
    return true;
  }

  async read(runId: string, after: string | undefined, options: { waitMs: number; signal?: AbortSignal }): Promise<LogEntry[]> {
    const position = parsePosition(after);
    const now = this.entriesAfter(runId, position);
    if (now.length > 0 || options.waitMs <= 0 || options.signal?.aborted) return now;
    await this.waitForChange(runId, options.waitMs, options.signal);
    return this.entriesAfter(runId, position);
  }

  async requestStop(runId: string): Promise<void> {
    this.stops.set(runId, Date.now() + this.ttlMs);
    this.stopWatchers.fire(runId);
  }

  async watchStop(runId: string, onStop: () => void): Promise<() => void> {
    const { fire, unwatch } = this.stopWatchers.watch(runId, onStop);
    if ((this.stops.get(runId) ?? 0) > Date.now()) fire();
    return unwatch;
  }

  async renewLease(runId: string, ttlMs: number): Promise<void> {
    this.leases.set(runId, Date.now() + ttlMs);
  }

  async hasLease(runId: string): Promise<boolean> {
    const until = this.leases.get(runId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.leases.delete(runId);
    return false;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const runId of [...this.waiters.keys()]) this.wake(runId);
    this.runs.clear();
    this.stops.clear();
    this.stopWatchers.clear();
    this.leases.clear();
    await this.archive?.close();
  }

  private create(runId: string): RunState {
    const run: RunState = { entries: [], dropped: 0, ended: false, archived: false, expiresAt: Date.now() + this.idleTtlMs };
    this.runs.set(runId, run);
    return run;
  }

  /** The run's state, unless it has expired (then it is dropped now rather than at the next sweep). */
  private live(runId: string): RunState | undefined {
    const run = this.runs.get(runId) ?? this.restore(runId);
    if (run && run.expiresAt <= Date.now()) {
      this.drop(runId);
      return undefined;
    }
    return run;
  }

  /** A run the archive keeps and this process does not hold yet (it was written before a restart). */
  private restore(runId: string): RunState | undefined {
    const entries = this.archive?.load(runId) ?? [];
    const last = entries.at(-1);
    if (!last) return undefined;
    const ended = last.kind === 'end';
    const run: RunState = {
      entries: [],
      dropped: Number(entries[0]!.id) - 1,
      ended,
      archived: ended,
      expiresAt: last.at + (ended ? this.ttlMs : this.idleTtlMs),
    };
    if (!ended) for (const entry of entries) this.push(run, entry);
    this.runs.set(runId, run);
    return run;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [runId, run] of this.runs) if (run.expiresAt <= now) this.drop(runId);
    for (const [runId, until] of this.stops) if (until <= now) this.stops.delete(runId);
    this.archive?.forget(now - this.ttlMs, now - this.idleTtlMs);
  }

  /** Appends an entry whose position is `nextPosition(run)`. */
  private push(run: RunState, entry: LogEntry): void {
    run.entries.push(entry);
    // Trim in steps, as Redis does with `MAXLEN ~`, rather than shifting on every append.
    const excess = run.entries.length - this.maxEntries;
    if (excess >= Math.max(1, Math.floor(this.maxEntries / 10))) {
      run.entries.splice(0, excess);
      run.dropped += excess;
    }
  }

  private entriesAfter(runId: string, position: number): LogEntry[] {
    const run = this.live(runId);
    if (!run) return [];
    if (run.archived && this.archive) return this.archive.entriesAfter(runId, position);
    return run.entries.slice(Math.max(0, position - run.dropped));
  }

  /**
   * Lets go of an ended run's entries once the archive has committed them: from then on it is read
   * from there (a reconnect, a late tab), so finished answers are kept on disk, not in the heap.
   */
  private release(runId: string, run: RunState): void {
    if (this.runs.get(runId) !== run) return;
    run.entries = [];
    run.archived = true;
  }

  private drop(runId: string): void {
    this.runs.delete(runId);
    this.leases.delete(runId);
    this.stops.delete(runId);
  }

  private wake(runId: string): void {
    const waiting = this.waiters.get(runId);
    if (!waiting) return;
    this.waiters.delete(runId);
    wakeAll(waiting);
  }

  /** Resolves on the next append or end of the run, after `waitMs`, or when `signal` aborts. */
  private async waitForChange(runId: string, waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    const waiting = this.waiters.get(runId) ?? new Set();
    this.waiters.set(runId, waiting);
    await waitForWake(waiting, waitMs, signal);
    if (waiting.size === 0 && this.waiters.get(runId) === waiting) this.waiters.delete(runId);
  }
}
