import type { Redis } from 'ioredis';
import type { RedisConnections } from '@/lib/runs/log/redis/connections';
import type { RunKeys } from '@/lib/runs/log/redis/keys';
import { StopWatchers } from '@/lib/runs/log/waiters';

/**
 * Stop requests: a key for a watch that starts later and a publish for one already there. One PSUBSCRIBE per
 * process serves every run, so a run costs only the EXISTS that catches an early stop.
 */
export class RedisStopChannel {
  /** Per stop channel: the callbacks to call when a stop is published there. */
  private readonly watchers = new StopWatchers();
  /** The one pattern subscription to every run's stop channel, once made. */
  private subscription: Promise<unknown> | undefined;

  constructor(
    private readonly connections: RedisConnections,
    private readonly keys: RunKeys,
    private readonly ttlMs: number,
  ) {}

  async request(runId: string): Promise<void> {
    const channel = this.keys.of(runId, 'stop');
    await this.connections.run(() => this.connections.commands.multi().set(channel, '1', 'PX', this.ttlMs).publish(channel, '1').exec());
  }

  async watch(runId: string, onStop: () => void): Promise<() => void> {
    const channel = this.keys.of(runId, 'stop');
    const { fire, unwatch } = this.watchers.watch(channel, onStop);
    try {
      await this.subscribe();
      // A stop requested before the subscription took effect is still in its key.
      if ((await this.connections.run(() => this.connections.commands.exists(channel))) === 1) fire();
    } catch (error) {
      unwatch();
      throw error;
    }
    return unwatch;
  }

  close(): void {
    this.watchers.clear();
    this.subscription = undefined;
  }

  private subscribe(): Promise<unknown> {
    if (!this.subscription) {
      const subscribing = this.connections.run(() => this.subscriber().psubscribe(this.keys.stopPattern()));
      // A failed subscription is tried again by the next watch.
      subscribing.catch(() => {
        if (this.subscription === subscribing) this.subscription = undefined;
      });
      this.subscription = subscribing;
    }
    return this.subscription;
  }

  private subscriber(): Redis {
    return this.connections.subscriberConnection((subscriber) => {
      subscriber.on('pmessage', (_pattern: string, channel: string) => this.watchers.fire(channel));
      subscriber.on('ready', () => {
        this.catchUp(subscriber).catch((error: unknown) => {
          console.error('[maestro] could not catch up on stop requests after reconnecting to Redis:', error);
        });
      });
    });
  }

  /**
   * After a reconnection, the stops published while we were away: once the pattern is subscribed
   * again (ioredis resubscribes too, but 'ready' may come before its reply; a second PSUBSCRIBE of
   * one pattern changes nothing), the stops requested meanwhile are read from their keys.
   */
  private async catchUp(subscriber: Redis): Promise<void> {
    if (this.watchers.keys().length === 0) return;
    await subscriber.psubscribe(this.keys.stopPattern());
    await Promise.all(
      this.watchers.keys().map(async (channel) => {
        if ((await this.connections.commands.exists(channel)) === 1) this.watchers.fire(channel);
      }),
    );
  }
}
