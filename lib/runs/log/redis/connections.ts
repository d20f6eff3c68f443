import { createHash } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { loadIoredis } from '@/lib/node/load-package';
import { RunLogUnavailableError, toRunLogError } from '@/lib/runs/log/redis/errors';

/** A Lua script, sent by its SHA1 (EVALSHA) once Redis has it. */
export type Script = { lua: string; sha: string };
export const script = (lua: string): Script => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });

/**
 * The run log's Redis connections: commands, a subscriber, and a pool for `XREAD BLOCK` that keeps as many idle
 * as in use, since live streams read almost constantly. With Redis down, operations reject with `RunLogUnavailableError`.
 */
export class RedisConnections {
  readonly commands: Redis;
  private subscriber: Redis | undefined;
  private readonly idleBlocking: Redis[] = [];
  private readonly busyBlocking = new Set<Redis>();
  private readonly baseOptions: RedisOptions = {
    lazyConnect: true,
    protocol: 2,
    connectTimeout: 2_000,
    // Fail fast: a command waits for one reconnection attempt, then rejects (→ 503).
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  };
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly maxIdleBlocking: number,
    commandTimeoutMs: number,
  ) {
    this.commands = this.connection('commands', commandTimeoutMs);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs a command; any failure but the command's own reply error is a `RunLogUnavailableError`. */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new RunLogUnavailableError('The run log is closed.');
    try {
      return await operation();
    } catch (error) {
      throw toRunLogError(error);
    }
  }

  evalScript(lua: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.run(async () => {
      try {
        return await this.commands.evalsha(lua.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await this.commands.eval(lua.lua, keys.length, ...keys, ...args);
      }
    });
  }

  /** The subscriber connection, opened on first use; `setUp` adds its listeners then. */
  subscriberConnection(setUp: (subscriber: Redis) => void): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.connection('stop-subscriber');
    setUp(subscriber);
    this.subscriber = subscriber;
    return subscriber;
  }

  /**
   * Runs a blocking command on a pooled connection. If its reply never comes (a hung server) the
   * connection is dropped after `guardMs` rather than waited on forever; a connection whose command
   * failed is not reused.
   */
  async blocking<T>(guardMs: number, command: (connection: Redis) => Promise<T>): Promise<T> {
    if (this.closed) throw new RunLogUnavailableError('The run log is closed.');
    const connection = this.idleBlocking.pop() ?? this.connection('blocking');
    this.busyBlocking.add(connection);
    let healthy = false;
    const guard = setTimeout(() => connection.disconnect(), guardMs);
    try {
      const reply = await command(connection);
      healthy = true;
      return reply;
    } finally {
      clearTimeout(guard);
      this.busyBlocking.delete(connection);
      if (healthy && !this.closed && this.idleBlocking.length < this.maxIdleBlocking) this.idleBlocking.push(connection);
      else connection.disconnect();
    }
  }

  close(): void {
    this.closed = true;
    const connections = [this.commands, ...(this.subscriber ? [this.subscriber] : []), ...this.idleBlocking, ...this.busyBlocking];
    this.idleBlocking.length = 0;
    this.busyBlocking.clear();
    for (const connection of connections) connection.disconnect();
  }

  private connection(name: string, commandTimeout?: number): Redis {
    const connection = new (loadIoredis().Redis)(this.url, {
      ...this.baseOptions,
      connectionName: `maestro-run-log-${name}`,
      commandTimeout,
    });
    // Errors surface through the commands that fail; without a listener ioredis would log each one.
    connection.on('error', () => undefined);
    return connection;
  }
}
