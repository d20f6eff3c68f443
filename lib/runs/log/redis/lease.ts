import { randomUUID } from 'node:crypto';
import type { RedisConnections } from '@/lib/runs/log/redis/connections';
import type { RunKeys } from '@/lib/runs/log/redis/keys';

/**
 * The producer's lease on a run: a key holding this process's token, renewed while it produces.
 * The token lets the end release the lease only when this process holds it.
 */
export class RedisLease {
  readonly token = randomUUID();

  constructor(
    private readonly connections: RedisConnections,
    private readonly keys: RunKeys,
  ) {}

  async renew(runId: string, ttlMs: number): Promise<void> {
    await this.connections.run(() =>
      this.connections.commands.set(this.keys.of(runId, 'lease'), this.token, 'PX', Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async isHeld(runId: string): Promise<boolean> {
    return (await this.connections.run(() => this.connections.commands.exists(this.keys.of(runId, 'lease')))) === 1;
  }
}
