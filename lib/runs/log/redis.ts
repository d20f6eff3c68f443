import { createHash, randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { loadIoredis } from '@/lib/node/load-package';
import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';
import { getConfig } from '@/lib/config';
import type { LogEntry, RunLog } from '@/lib/runs/log/types';
import { StopWatchers } from '@/lib/runs/log/waiters';
import { LocalTails } from '@/lib/runs/log/local-tail';

/** A run log operation failed because Redis cannot be reached (or cannot serve): answer 503. */
export class RunLogUnavailableError extends Error {
  readonly code = 'RUN_LOG_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunLogUnavailableError';
  }
}

export function isRunLogUnavailable(error: unknown): error is RunLogUnavailableError {
  return error instanceof RunLogUnavailableError || (error instanceof Error && error.name === 'RunLogUnavailableError');
}

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
  /**
   * Idle blocking connections kept for `XREAD BLOCK`; more are opened when more reads wait. Every
   * live stream has a read waiting most of the time, so the pool keeps as many as are in use
   * rather than open and close one per frame (default 1,000).
   */
  maxIdleBlockingConnections?: number;
  /** A normal (non-blocking) command that gets no reply within this fails as unavailable. */
  commandTimeoutMs?: number;
};

type StoredEntry = { kind: 'chunk'; chunk: StreamChunk } | { kind: 'end'; outcome: Outcome };
type StreamRow = [id: string, fields: string[]];

const DAY_MS = 24 * 60 * 60_000;
/** How long after its end a run's local tail still serves readers here (later ones read Redis). */
const TAIL_AFTER_END_MS = 30_000;
const TAIL_SWEEP_EVERY_MS = 5_000;
const FIELD = 'e';
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
/** Replies from a server that is up but cannot serve now: as good as down for the caller. */
const UNAVAILABLE_REPLY = /^(LOADING|OOM|READONLY|MISCONF|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOAUTH|WRONGPASS|NOPERM)\b/;

type Script = { lua: string; sha: string };
const script = (lua: string): Script => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });

/**
 * KEYS: stream, ended. ARGV: maxlen, idle ttl, entry JSON… Ignored (0) once the run has ended;
 * otherwise { 1 if these entries opened the stream else 0, their ids… }.
 */
const APPEND = script(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local out = { redis.call('EXISTS', KEYS[1]) == 0 and 1 or 0 }
for i = 3, #ARGV do
  out[#out + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${FIELD}', ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return out
`);

/**
 * KEYS: stream, ended, lease. ARGV: ttl, maxlen, entry JSON, this process's lease token. Releases
 * the lease if this process holds it (another's only expires with the run). The end's id when this
 * call ended the run, else 0.
 */
const END = script(`
if redis.call('GET', KEYS[3]) == ARGV[4] then redis.call('DEL', KEYS[3]) end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', '${FIELD}', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local lease = redis.call('PTTL', KEYS[3])
if lease == -1 or lease > tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[3], ARGV[1]) end
return id
`);

function toRunLogError(error: unknown): Error {
  if (isRunLogUnavailable(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(message)) return error;
  return new RunLogUnavailableError(`The run log (Redis) is unavailable: ${message}`, { cause: error });
}

/** A stream id is "<ms>-<seq>": Redis's clock when the entry was added. */
const idTime = (id: string) => Number(id.slice(0, id.indexOf('-')));

function parseRows(rows: StreamRow[]): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const [id, fields] of rows) {
    const json = fields[fields.indexOf(FIELD) + 1];
    if (json === undefined) continue;
    const stored = JSON.parse(json) as StoredEntry;
    const at = idTime(id);
    entries.push(stored.kind === 'chunk' ? { id, at, kind: 'chunk', chunk: stored.chunk } : { id, at, kind: 'end', outcome: stored.outcome });
    if (stored.kind === 'end') break;
  }
  return entries;
}

function isStreamRow(value: unknown): value is StreamRow {
  return Array.isArray(value) && typeof value[0] === 'string' && Array.isArray(value[1]);
}

/** The rows of the one stream in an `XREAD` reply (RESP2: `[[key, rows]]`, or null on timeout). */
function xreadRows(reply: unknown): StreamRow[] {
  if (!Array.isArray(reply)) return [];
  const stream: unknown = reply[0];
  if (!Array.isArray(stream) || !Array.isArray(stream[1])) return [];
  return (stream[1] as unknown[]).filter(isStreamRow);
}

/**
 * The run log on Redis Streams, shared by every instance of the app.
 *
 * Keys (under `prefix`; the braces are literal, a Cluster hash tag): `run:{id}` the stream (one
 * field holding each entry's JSON; positions are the stream ids), `run:{id}:ended` the end guard, `run:{id}:stop` + channel `run:{id}:stop` the
 * stop request, `run:{id}:lease` the producer's lease. Appends and the end are Lua scripts so
 * that an append racing the end cannot land after the terminal entry, nor recreate a stream that
 * has already expired: after the end, appends are ignored. Everything expires `ttlMs` after the end.
 *
 * Connections: one for commands, one subscriber (lazily; one pattern for every run's stop
 * requests), and a pool of blocking connections for `XREAD BLOCK` (readers waiting on the same run
 * and position share one).
 * When Redis is down, operations reject with a `RunLogUnavailableError` within about a second.
 */
export class RedisRunLog implements RunLog {
  private readonly url: string;
  private readonly prefix: string;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly idleTtlMs: number;
  private readonly maxIdleBlocking: number;
  private readonly baseOptions: RedisOptions;
  private readonly commands: Redis;
  private subscriber: Redis | undefined;
  private readonly idleBlocking: Redis[] = [];
  private readonly busyBlocking = new Set<Redis>();
  /** In-flight `XREAD BLOCK`s by stream and position, shared by the readers waiting there. */
  private readonly waits = new Map<string, Promise<StreamRow[]>>();
  /** Per stop channel: the callbacks to call when a stop is published there. */
  private readonly stopWatchers = new StopWatchers();
  /** The one pattern subscription to every run's stop channel (see `watchStop`), once made. */
  private stopSubscription: Promise<unknown> | undefined;
  private readonly leaseToken = randomUUID();
  /** The runs this process produces, as it wrote them (see LocalTails), and their sweep. */
  private readonly tails: LocalTails;
  private readonly tailSweep: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(options: RedisRunLogOptions = {}) {
    const config = getConfig();
    this.url = options.url ?? config.redisUrl ?? 'redis://127.0.0.1:6379';
    this.prefix = options.prefix ?? 'maestro:';
    this.maxEntries = options.maxEntries ?? config.runLogMaxEntries;
    this.ttlMs = options.ttlMs ?? config.runLogTtlMs;
    this.idleTtlMs = options.idleTtlMs ?? DAY_MS;
    this.maxIdleBlocking = options.maxIdleBlockingConnections ?? 1_000;
    this.baseOptions = {
      lazyConnect: true,
      protocol: 2,
      connectTimeout: 2_000,
      // Fail fast: a command waits for one reconnection attempt, then rejects (→ 503).
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
    };
    this.commands = this.connection('commands', options.commandTimeoutMs ?? 5_000);
    this.tails = new LocalTails(this.maxEntries, Math.min(this.ttlMs, TAIL_AFTER_END_MS));
    this.tailSweep = setInterval(() => this.tails.sweep(), TAIL_SWEEP_EVERY_MS);
    this.tailSweep.unref();
  }

  async append(runId: string, chunks: StreamChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const entries = chunks.map((chunk) => JSON.stringify({ kind: 'chunk', chunk } satisfies StoredEntry));
    const reply = await this.writeToRun(runId, APPEND, [this.key(runId), this.key(runId, 'ended')], [this.maxEntries, this.idleTtlMs, ...entries]);
    const [opened, ...ids] = Array.isArray(reply) ? reply : [];
    if (ids.length !== chunks.length) {
      // Ended by someone else: the log has an end this process did not write.
      this.tails.forget(runId);
      return;
    }
    this.tails.appended(
      runId,
      chunks.map((chunk, i) => ({ id: String(ids[i]), at: idTime(String(ids[i])), kind: 'chunk', chunk })),
      opened === 1,
    );
  }

  async end(runId: string, outcome: Outcome): Promise<boolean> {
    const entry = JSON.stringify({ kind: 'end', outcome } satisfies StoredEntry);
    const keys = [this.key(runId), this.key(runId, 'ended'), this.key(runId, 'lease')];
    const reply = await this.writeToRun(runId, END, keys, [this.ttlMs, this.maxEntries, entry, this.leaseToken]);
    if (typeof reply !== 'string') {
      this.tails.forget(runId);
      return false;
    }
    this.tails.appended(runId, [{ id: reply, at: idTime(reply), kind: 'end', outcome }], false);
    return true;
  }

  async read(runId: string, after: string | undefined, options: { waitMs: number; signal?: AbortSignal }): Promise<LogEntry[]> {
    // A position that is not a stream id (a forged Last-Event-ID) reads from the start.
    const position = after !== undefined && STREAM_ID.test(after) ? after : undefined;
    const key = this.key(runId);
    // A run this process produces: what it wrote, from memory. A wait that brings nothing asks
    // Redis once, which also holds what other processes wrote (an end after a lapsed lease).
    const local = this.tails.entriesAfter(runId, position);
    if (local !== undefined) {
      if (local.length > 0 || options.waitMs <= 0 || options.signal?.aborted) return local;
      await this.tails.wait(runId, options.waitMs, options.signal);
      const more = this.tails.entriesAfter(runId, position);
      if (more !== undefined && (more.length > 0 || options.signal?.aborted)) return more;
      return this.readNow(key, position);
    }
    if (options.waitMs <= 0) return this.readNow(key, position);
    // A reader that may wait goes straight to `XREAD BLOCK`, which answers at once when there is
    // something after `position`: a follower keeping up costs one command per frame, not two.
    const deadline = Date.now() + options.waitMs;
    let rows: StreamRow[] = [];
    // A shared wait that started earlier can time out before this reader's own deadline: wait on.
    while (rows.length === 0 && !options.signal?.aborted) {
      const remainingMs = Math.ceil(deadline - Date.now());
      if (remainingMs <= 0) break;
      rows = await this.waitForRows(key, position ?? '0-0', remainingMs, options.signal);
    }
    return parseRows(rows);
  }

  /** Runs a script that writes to a run's stream; if its outcome is unknown, this process's readers go to Redis from now on. */
  private async writeToRun(runId: string, lua: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.evalScript(lua, keys, args);
    } catch (error) {
      this.tails.forget(runId);
      throw error;
    }
  }

  /** What the stream holds after `position` now, without waiting. */
  private async readNow(key: string, position: string | undefined): Promise<LogEntry[]> {
    return parseRows(await this.run(() => this.commands.xrange(key, position === undefined ? '-' : `(${position}`, '+')));
  }

  async requestStop(runId: string): Promise<void> {
    await this.run(() =>
      this.commands.multi().set(this.key(runId, 'stop'), '1', 'PX', this.ttlMs).publish(this.key(runId, 'stop'), '1').exec(),
    );
  }

  /**
   * One PSUBSCRIBE per process serves every run's stop channel, so that a run costs no SUBSCRIBE
   * and UNSUBSCRIBE of its own: only the EXISTS that catches a stop requested before the watch.
   */
  async watchStop(runId: string, onStop: () => void): Promise<() => void> {
    const channel = this.key(runId, 'stop');
    const { fire, unwatch } = this.stopWatchers.watch(channel, onStop);
    try {
      await this.subscribeToStops();
      // A stop requested before the subscription took effect is still in its key.
      if ((await this.run(() => this.commands.exists(channel))) === 1) fire();
    } catch (error) {
      unwatch();
      throw error;
    }
    return unwatch;
  }

  private subscribeToStops(): Promise<unknown> {
    if (!this.stopSubscription) {
      const subscribing = this.run(() => this.stopSubscriber().psubscribe(this.stopPattern()));
      // A failed subscription is tried again by the next watch.
      subscribing.catch(() => {
        if (this.stopSubscription === subscribing) this.stopSubscription = undefined;
      });
      this.stopSubscription = subscribing;
    }
    return this.stopSubscription;
  }

  /** Every run's stop channel: `run:{*}:stop` under the prefix, its glob characters escaped. */
  private stopPattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}run:{*}:stop`;
  }

  async renewLease(runId: string, ttlMs: number): Promise<void> {
    await this.run(() => this.commands.set(this.key(runId, 'lease'), this.leaseToken, 'PX', Math.max(1, Math.ceil(ttlMs))));
  }

  async hasLease(runId: string): Promise<boolean> {
    return (await this.run(() => this.commands.exists(this.key(runId, 'lease')))) === 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.tailSweep);
    this.tails.clear();
    const connections = [this.commands, ...(this.subscriber ? [this.subscriber] : []), ...this.idleBlocking, ...this.busyBlocking];
    this.idleBlocking.length = 0;
    this.busyBlocking.clear();
    this.stopWatchers.clear();
    this.stopSubscription = undefined;
    for (const connection of connections) connection.disconnect();
  }

  /** `{id}` is a hash tag: all keys of a run live in one Redis Cluster slot, as the scripts need. */
  private key(runId: string, suffix?: string): string {
    return `${this.prefix}run:{${runId}}${suffix ? `:${suffix}` : ''}`;
  }

  private connection(name: string, commandTimeout?: number): Redis {
    const connection = new (loadIoredis().Redis)(this.url, { ...this.baseOptions, connectionName: `maestro-run-log-${name}`, commandTimeout });
    // Errors surface through the commands that fail; without a listener ioredis would log each one.
    connection.on('error', () => undefined);
    return connection;
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new RunLogUnavailableError('The run log is closed.');
    try {
      return await operation();
    } catch (error) {
      throw toRunLogError(error);
    }
  }

  private evalScript(lua: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.run(async () => {
      try {
        return await this.commands.evalsha(lua.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await this.commands.eval(lua.lua, keys.length, ...keys, ...args);
      }
    });
  }

  private stopSubscriber(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.connection('stop-subscriber');
    subscriber.on('pmessage', (_pattern: string, channel: string) => this.stopWatchers.fire(channel));
    subscriber.on('ready', () => void this.catchUpOnStops(subscriber).catch(() => undefined));
    this.subscriber = subscriber;
    return subscriber;
  }

  /**
   * After a reconnection, the stops published while we were away: once the pattern is subscribed
   * again (ioredis resubscribes too, but 'ready' may come before its reply; a second PSUBSCRIBE of
   * one pattern changes nothing), the stops requested meanwhile are read from their keys.
   */
  private async catchUpOnStops(subscriber: Redis): Promise<void> {
    if (this.stopWatchers.keys().length === 0) return;
    await subscriber.psubscribe(this.stopPattern());
    await Promise.all(
      this.stopWatchers.keys().map(async (channel) => {
        if ((await this.commands.exists(channel)) === 1) this.stopWatchers.fire(channel);
      }),
    );
  }

  /**
   * Waits up to `waitMs` for entries after `after`. Readers of the same run and position share
   * one `XREAD BLOCK`; a reader whose signal aborts returns [] at once and leaves the shared read
   * to finish on its own (its connection then goes back to the pool instead of being reopened).
   */
  private waitForRows(key: string, after: string, waitMs: number, signal: AbortSignal | undefined): Promise<StreamRow[]> {
    const waitKey = `${key}\n${after}`;
    let promise = this.waits.get(waitKey);
    if (!promise) {
      const created = this.blockingRead(key, after, waitMs);
      const forget = () => {
        if (this.waits.get(waitKey) === created) this.waits.delete(waitKey);
      };
      created.then(forget, forget);
      this.waits.set(waitKey, created);
      promise = created;
    }
    const shared = promise;
    return new Promise<StreamRow[]>((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        finish();
      };
      const giveUp = () => settle(() => resolve([]));
      // Redis times out a BLOCK with ~100 ms granularity (its `hz`): keep to waitMs here, and let
      // the shared read finish on its own (a later read at the same position joins it).
      const timer = setTimeout(giveUp, waitMs);
      signal?.addEventListener('abort', giveUp, { once: true });
      shared.then(
        (rows) => settle(() => resolve(rows)),
        (error: unknown) => settle(() => reject(toRunLogError(error))),
      );
    });
  }

  private async blockingRead(key: string, after: string, waitMs: number): Promise<StreamRow[]> {
    if (this.closed) throw new RunLogUnavailableError('The run log is closed.');
    const connection = this.idleBlocking.pop() ?? this.connection('blocking');
    this.busyBlocking.add(connection);
    let healthy = false;
    // If the reply never comes (a hung server), drop the connection rather than wait forever.
    const guard = setTimeout(() => connection.disconnect(), waitMs + 5_000);
    try {
      const reply = await connection.call('XREAD', 'BLOCK', String(waitMs), 'STREAMS', key, after);
      healthy = true;
      return xreadRows(reply);
    } finally {
      clearTimeout(guard);
      this.busyBlocking.delete(connection);
      if (healthy && !this.closed && this.idleBlocking.length < this.maxIdleBlocking) this.idleBlocking.push(connection);
      else connection.disconnect();
    }
  }
}
