/**
 * The names of a run's keys and channels under the log's prefix (the braces are literal, a Redis
 * Cluster hash tag, so that all keys of a run live in one slot, as the scripts need):
 * `run:{id}` the stream, `run:{id}:ended` the end guard, `run:{id}:stop` the stop request (key and
 * channel), `run:{id}:lease` the producer's lease.
 */
export class RunKeys {
  constructor(private readonly prefix: string) {}

  of(runId: string, suffix?: 'ended' | 'stop' | 'lease'): string {
    return `${this.prefix}run:{${runId}}${suffix ? `:${suffix}` : ''}`;
  }

  /** Every run's stop channel, as a PSUBSCRIBE pattern: the prefix's glob characters escaped. */
  stopPattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}run:{*}:stop`;
  }
}
