import { getConfig } from '@/lib/config';
import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';
import { RedisConnections } from '@/lib/runs/log/redis/connections';
import { RunKeys } from '@/lib/runs/log/redis/keys';
import { RedisLease } from '@/lib/runs/log/redis/lease';
import { RedisStopChannel } from '@/lib/runs/log/redis/stop-channel';
import { RedisStreamLog } from '@/lib/runs/log/redis/stream-log';
import type { LogEntry, RunLog } from '@/lib/runs/log/types';

export { isRunLogUnavailable, RunLogUnavailableError } from '@/lib/runs/log/redis/errors';

export type RedisRunLogOptions = {
  /** Default: config.redisUrl, else redis://127.0.0.1:6379. */
  url?: string;
  /** Prefix of every key and channel; default `maestro:`. */
  prefix?: string;
  /** `XADD … MAXLEN ~ maxEntries`; default config.runLogMaxEntries. */
  maxEntries?: number;
  /** How long a run's keys live after its end (and a stop request lives); default config.runLogTtlMs. */
  ttlMs?: number;
  /** A run that is never ended expires this long after its last append; default 24 h. */
  idleTtlMs?: number;
  /** Idle blocking connections kept for `XREAD BLOCK`; more are opened when more reads wait (default 1,000). */
  maxIdleBlockingConnections?: number;
  /** A normal (non-blocking) command that gets no reply within this fails as unavailable. */
  commandTimeoutMs?: number;
};

const DAY_MS = 24 * 60 * 60_000;

/**
 * The run log on Redis, shared by every instance: entries (stream-log.ts), stop requests (stop-channel.ts) and
 * the producer's lease (lease.ts); everything of a run expires `ttlMs` after its end.
 */
export class RedisRunLog implements RunLog {
  private readonly connections: RedisConnections;
  private readonly streams: RedisStreamLog;
  private readonly stops: RedisStopChannel;
  private readonly lease: RedisLease;

  constructor(options: RedisRunLogOptions = {}) {
    const config = getConfig();
    const keys = new RunKeys(options.prefix ?? 'maestro:');
    const ttlMs = options.ttlMs ?? config.runLogTtlMs;
    this.connections = new RedisConnections(
      options.url ?? config.redisUrl ?? 'redis://127.0.0.1:6379',
      options.maxIdleBlockingConnections ?? 1_000,
      options.commandTimeoutMs ?? 5_000,
    );
    this.lease = new RedisLease(this.connections, keys);
    this.streams = new RedisStreamLog(this.connections, keys, {
      maxEntries: options.maxEntries ?? config.runLogMaxEntries,
      ttlMs,
      idleTtlMs: options.idleTtlMs ?? DAY_MS,
      leaseToken: this.lease.token,
    });
    this.stops = new RedisStopChannel(this.connections, keys, ttlMs);
  }

  append(runId: string, chunks: StreamChunk[]): Promise<void> {
    return this.streams.append(runId, chunks);
  }

  end(runId: string, outcome: Outcome): Promise<boolean> {
    return this.streams.end(runId, outcome);
  }

  read(runId: string, after: string | undefined, options: { waitMs: number; signal?: AbortSignal }): Promise<LogEntry[]> {
    return this.streams.read(runId, after, options);
  }

  requestStop(runId: string): Promise<void> {
    return this.stops.request(runId);
  }

  watchStop(runId: string, onStop: () => void): Promise<() => void> {
    return this.stops.watch(runId, onStop);
  }

  renewLease(runId: string, ttlMs: number): Promise<void> {
    return this.lease.renew(runId, ttlMs);
  }

  hasLease(runId: string): Promise<boolean> {
    return this.lease.isHeld(runId);
  }

  async close(): Promise<void> {
    if (this.connections.isClosed) return;
    this.connections.close();
    this.streams.close();
    this.stops.close();
  }
}
