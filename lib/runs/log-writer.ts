import type { StreamChunk } from '@/lib/chat/status';
import type { RunLog } from '@/lib/runs/log/types';

/**
 * Writes a producer's chunks to the run log in order, one append in flight, batching those of one event-loop
 * turn or that arrive meanwhile: each append costs a write and a wake-up of every follower.
 */
export class LogWriter {
  private pending: StreamChunk[] = [];
  private draining: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly log: RunLog,
    private readonly runId: string,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  write(chunk: StreamChunk): void {
    if (this.failure !== undefined) return;
    this.pending.push(chunk);
    this.draining ??= this.drain();
  }

  /** Resolves when everything written so far is in the log; rejects if an append failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    if (this.failure !== undefined) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        // Let the producer finish this turn first: what it writes meanwhile joins the batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.pending;
        this.pending = [];
        await this.log.append(this.runId, batch);
      }
    } catch (error) {
      this.failure = error;
      this.pending = [];
      this.onFailure(error);
    } finally {
      this.draining = undefined;
    }
  }
}
