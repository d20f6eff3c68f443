import { useEffect, useState } from 'react';
import { TERMINAL_PHASES } from '@/lib/chat/status';
import type { Status } from '@/lib/chat/types';

/**
 * Keeps a bridging status ("Thinking…") up for `minDwellMs` so a brief phase can be read. Tool and terminal
 * statuses are never paced, so the bubble never says "Using tool" beside a card already showing the result.
 */
export class StatusPacer {
  private waiting: Status | undefined;
  private shown: Status | null = null;
  private shownAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly show: (status: Status | null) => void,
    private readonly minDwellMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  push(next: Status): void {
    if (TERMINAL_PHASES.has(next.phase) || next.phase === 'tool' || this.shown?.phase === 'tool') {
      this.clearTimer();
      this.waiting = undefined;
      this.display(next);
      return;
    }
    // Back to what the bubble already says: whatever waited is over already.
    this.waiting = next.label === this.shown?.label ? undefined : next;
    if (this.timer !== undefined || this.waiting === undefined) return;
    const wait = this.shownAt + this.minDwellMs - this.now();
    if (wait <= 0) this.advance();
    else this.timer = setTimeout(() => this.advance(), wait);
  }

  reset(): void {
    this.clearTimer();
    this.waiting = undefined;
    this.shown = null;
    this.shownAt = 0;
    this.show(null);
  }

  dispose(): void {
    this.clearTimer();
  }

  private advance(): void {
    this.timer = undefined;
    const next = this.waiting;
    this.waiting = undefined;
    if (next) this.display(next);
  }

  private display(status: Status): void {
    this.shown = status;
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
