import { useEffect, useState } from 'react';
import { TERMINAL_PHASES } from '@/lib/chat/status';
import type { Status, StatusPhase } from '@/lib/chat/types';

/** Phases that only bridge two others: a queued one is dropped when a newer status arrives. */
const TRANSITIONAL: ReadonlySet<StatusPhase> = new Set(['queued', 'thinking', 'responding', 'retrying']);
const MAX_QUEUED = 3;

/**
 * Paces the statuses of a run: each one stays up for at least `minDwellMs`, so a phase that lasted
 * 15 ms ("Thinking…" before a fast tool call) can still be read, in the order it happened. The
 * backlog never grows: a queued bridging phase is dropped when a newer status arrives, at most a
 * few statuses wait, and a terminal status (done, error, stopped) shows at once.
 */
export class StatusPacer {
  private queue: Status[] = [];
  private lastLabel: string | null = null;
  private shownAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly show: (status: Status | null) => void,
    private readonly minDwellMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  push(next: Status): void {
    if (TERMINAL_PHASES.has(next.phase)) {
      this.clearTimer();
      this.queue = [];
      this.display(next);
      return;
    }
    const pending = this.queue.filter((queued) => !TRANSITIONAL.has(queued.phase));
    const latestLabel = pending.length > 0 ? pending.at(-1)?.label : this.lastLabel;
    this.queue = latestLabel === next.label ? pending : [...pending, next].slice(-MAX_QUEUED);
    if (this.timer !== undefined || this.queue.length === 0) return;
    const wait = this.shownAt + this.minDwellMs - this.now();
    if (wait <= 0) this.advance();
    else this.timer = setTimeout(() => this.advance(), wait);
  }

  reset(): void {
    this.clearTimer();
    this.queue = [];
    this.lastLabel = null;
    this.shownAt = 0;
    this.show(null);
  }

  dispose(): void {
    this.clearTimer();
  }

  private advance(): void {
    this.timer = undefined;
    const next = this.queue.shift();
    if (!next) return;
    this.display(next);
    if (this.queue.length > 0) this.timer = setTimeout(() => this.advance(), this.minDwellMs);
  }

  private display(status: Status): void {
    this.lastLabel = status.label;
    this.shownAt = this.now();
    this.show(status);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The run status to show, paced by a StatusPacer; `push` each `data-status`, `reset` per run. */
export function useRunStatus(minDwellMs = 250): { status: Status | null; pacer: StatusPacer } {
  const [status, setStatus] = useState<Status | null>(null);
  const [pacer] = useState(() => new StatusPacer(setStatus, minDwellMs));
  useEffect(() => () => pacer.dispose(), [pacer]);
  return { status, pacer };
}
