import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';
import { LocalTails } from '@/lib/runs/log/local-tail';
import { script, type RedisConnections, type Script } from '@/lib/runs/log/redis/connections';
import { toRunLogError } from '@/lib/runs/log/redis/errors';
import type { RunKeys } from '@/lib/runs/log/redis/keys';
import type { LogEntry } from '@/lib/runs/log/types';
import { isStreamId } from '@/lib/wire';
import { chunkJson } from '@/lib/runs/log/entry-json';

type StoredEntry = { kind: 'chunk'; chunk: StreamChunk } | { kind: 'end'; outcome: Outcome };
type StreamRow = [id: string, fields: string[]];

/** How long after its end a run's local tail still serves readers here (later ones read Redis). */
const TAIL_AFTER_END_MS = 30_000;
const TAIL_SWEEP_EVERY_MS = 5_000;
const FIELD = 'e';

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

/** A stream id is "<ms>-<seq>": Redis's clock when the entry was added. */
const idTime = (id: string) => Number(id.slice(0, id.indexOf('-')));

function parseRows(rows: StreamRow[]): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const [id, fields] of rows) {
    const json = fields[fields.indexOf(FIELD) + 1];
    if (json === undefined) continue;
    const stored = JSON.parse(json) as StoredEntry;
    const at = idTime(id);
    entries.push(
      stored.kind === 'chunk' ? { id, at, kind: 'chunk', chunk: stored.chunk } : { id, at, kind: 'end', outcome: stored.outcome },
    );
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

export type RedisStreamLogOptions = {
  maxEntries: number;
  /** How long a run's keys live after its end. */
  ttlMs: number;
  /** A run that is never ended expires this long after its last append. */
  idleTtlMs: number;
  /** This process's lease token: the end releases the lease only when it holds it. */
  leaseToken: string;
};

/**
 * A Redis stream per run. Appends and the end are Lua scripts, so an append racing the end can neither land
 * after the terminal entry nor recreate an expired stream; readers at one position share one `XREAD BLOCK`.
 */
export class RedisStreamLog {
  /** In-flight `XREAD BLOCK`s by stream and position, parsed once for all the readers waiting there. */
  private readonly waits = new Map<string, Promise<LogEntry[]>>();
  private readonly tails: LocalTails;
  private readonly tailSweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly connections: RedisConnections,
    private readonly keys: RunKeys,
    private readonly options: RedisStreamLogOptions,
  ) {
    this.tails = new LocalTails(options.maxEntries, Math.min(options.ttlMs, TAIL_AFTER_END_MS));
    this.tailSweep = setInterval(() => this.tails.sweep(), TAIL_SWEEP_EVERY_MS);
    this.tailSweep.unref();
  }

  async append(runId: string, chunks: StreamChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    // As JSON.stringify({ kind: 'chunk', chunk }) writes it, with the chunk's JSON that local followers send too.
    const entries = chunks.map((chunk) => `{"kind":"chunk","chunk":${chunkJson(chunk)}}`);
    const reply = await this.writeToRun(
      runId,
      APPEND,
      [this.keys.of(runId), this.keys.of(runId, 'ended')],
      [this.options.maxEntries, this.options.idleTtlMs, ...entries],
    );
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
    const keys = [this.keys.of(runId), this.keys.of(runId, 'ended'), this.keys.of(runId, 'lease')];
    const reply = await this.writeToRun(runId, END, keys, [this.options.ttlMs, this.options.maxEntries, entry, this.options.leaseToken]);
    if (typeof reply !== 'string') {
      this.tails.forget(runId);
      return false;
    }
    this.tails.appended(runId, [{ id: reply, at: idTime(reply), kind: 'end', outcome }], false);
    return true;
  }

  async read(runId: string, after: string | undefined, options: { waitMs: number; signal?: AbortSignal }): Promise<LogEntry[]> {
    // A position that is not a stream id (a forged Last-Event-ID) reads from the start.
    const position = after !== undefined && isStreamId(after) ? after : undefined;
    const key = this.keys.of(runId);
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
    let entries: LogEntry[] = [];
    // A shared wait that started earlier can time out before this reader's own deadline: wait on.
    while (entries.length === 0 && !options.signal?.aborted) {
      const remainingMs = Math.ceil(deadline - Date.now());
      if (remainingMs <= 0) break;
      entries = await this.waitForEntries(key, position ?? '0-0', remainingMs, options.signal);
    }
    return entries;
  }

  close(): void {
    clearInterval(this.tailSweep);
    this.tails.clear();
  }

  /** Runs a script that writes to a run's stream; if its outcome is unknown, this process's readers go to Redis from now on. */
  private async writeToRun(runId: string, lua: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.connections.evalScript(lua, keys, args);
    } catch (error) {
      this.tails.forget(runId);
      throw error;
    }
  }

  /** What the stream holds after `position` now, without waiting. */
  private async readNow(key: string, position: string | undefined): Promise<LogEntry[]> {
    return parseRows(
      await this.connections.run(() => this.connections.commands.xrange(key, position === undefined ? '-' : `(${position}`, '+')),
    );
  }

  /**
   * Waits up to `waitMs` for entries after `after`. Readers of the same run and position share
   * one `XREAD BLOCK`; a reader whose signal aborts returns [] at once and leaves the shared read
   * to finish on its own (its connection then goes back to the pool instead of being reopened).
   */
  private waitForEntries(key: string, after: string, waitMs: number, signal: AbortSignal | undefined): Promise<LogEntry[]> {
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
    return new Promise<LogEntry[]>((resolve, reject) => {
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
        (entries) => settle(() => resolve(entries)),
        (error: unknown) => settle(() => reject(toRunLogError(error))),
      );
    });
  }

  /** One parse for every reader sharing the read: they get the same chunk objects, which `chunkJson` then serializes once. */
  private async blockingRead(key: string, after: string, waitMs: number): Promise<LogEntry[]> {
    const reply = await this.connections.blocking(waitMs + 5_000, (connection) =>
      connection.call('XREAD', 'BLOCK', String(waitMs), 'STREAMS', key, after),
    );
    return parseRows(xreadRows(reply));
  }
}
