import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunLogUnavailable, RedisRunLog, type RedisRunLogOptions } from '@/lib/runs/log/redis';
import { describeRunLogContract, readAll, word } from '@/tests/helpers/run-log-contract';
import { sleep } from '@/tests/helpers/sleep';

/**
 * Needs a real Redis: REDIS_URL, or 127.0.0.1:6379 (start one with
 * `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`).
 */
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `maestro-test:${randomUUID()}:`;
const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });

const make = (options: Omit<RedisRunLogOptions, 'url' | 'prefix'> = {}) =>
  new RedisRunLog({ url, prefix, ttlMs: 60_000, maxEntries: 10_000, ...options });

async function keysUnderPrefix(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

beforeAll(async () => {
  try {
    await admin.connect();
    await admin.ping();
  } catch (error) {
    throw new Error(`These tests need Redis at ${url}: start redis-server (see the comment at the top).`, { cause: error });
  }
});

afterAll(async () => {
  const keys = await keysUnderPrefix();
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

// Two RedisRunLogs, each with its own connections: as two instances of the app would be.
describeRunLogContract('redis', ({ ttlMs }) => ({ log: make({ ttlMs }), other: make({ ttlMs }) }));

describe('RedisRunLog', () => {
  it('serves a run to readers in its producing process from memory, the same entries Redis holds', async () => {
    const [producer, elsewhere] = [make(), make()];
    const runId = `local-${randomUUID()}`;
    await producer.append(runId, [word(0), word(1)]);
    // Gone from Redis, still served here: the process that wrote it reads it from memory.
    const fromRedis = await readAll(elsewhere, runId);
    await admin.del(`${prefix}run:{${runId}}`);
    expect(await readAll(producer, runId)).toEqual(fromRedis);
    expect(await readAll(elsewhere, runId)).toEqual([]);
    // A reader waiting here is woken by the next append, with the position Redis gave it.
    const waiting = producer.read(runId, fromRedis[1]?.id, { waitMs: 5_000 });
    await producer.append(runId, [word(2)]);
    const [next] = await waiting;
    expect(next).toMatchObject({ kind: 'chunk', chunk: word(2) });
    expect((await readAll(elsewhere, runId))[0]?.id).toBe(next?.id);
    await Promise.all([producer.close(), elsewhere.close()]);
  });

  it('lets a reader in the producing process see an end that another process wrote', async () => {
    const [producer, elsewhere] = [make(), make()];
    const runId = `local-end-${randomUUID()}`;
    await producer.append(runId, [word(0)]);
    const [first] = await readAll(producer, runId);
    expect(await elsewhere.end(runId, 'interrupted')).toBe(true);
    const entries = await producer.read(runId, first?.id, { waitMs: 200 });
    expect(entries).toMatchObject([{ kind: 'end', outcome: 'interrupted' }]);
    // The producer's own next write is refused, and its readers keep reading Redis.
    await producer.append(runId, [word(1)]);
    expect(await readAll(producer, runId)).toMatchObject([{ kind: 'chunk' }, { kind: 'end', outcome: 'interrupted' }]);
    await Promise.all([producer.close(), elsewhere.close()]);
  });

  it('uses stream ids as positions and reads a forged position from the start', async () => {
    const log = make();
    await log.append('ids', [word(0)]);
    const entries = await readAll(log, 'ids');
    expect(entries[0]?.id).toMatch(/^\d+-\d+$/);
    expect(await readAll(log, 'ids', 'garbage')).toEqual(entries);
    await log.close();
  });

  it('caps each stream near maxEntries (XADD MAXLEN ~)', async () => {
    const log = make({ maxEntries: 100 });
    for (let n = 0; n < 1_000; n += 50)
      await log.append(
        'capped',
        Array.from({ length: 50 }, (_, i) => word(n + i)),
      );
    const length = await admin.xlen(`${prefix}run:{capped}`);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(300);
    expect((await readAll(log, 'capped')).at(-1)).toMatchObject({ chunk: word(999) });
    await log.close();
  });

  it('leaves no key without an expiry: running streams idle out, ended runs expire by ttlMs', async () => {
    const log = make({ ttlMs: 5_000, idleTtlMs: 60_000 });
    await log.renewLease('ttl', 30_000);
    await log.requestStop('ttl');
    await log.append('ttl', [word(0)]);
    const running = await admin.pttl(`${prefix}run:{ttl}`);
    expect(running).toBeGreaterThan(5_000);
    expect(running).toBeLessThanOrEqual(60_000);
    await log.end('ttl', 'complete');
    for (const suffix of ['', ':ended', ':stop']) {
      const ttl = await admin.pttl(`${prefix}run:{ttl}${suffix}`);
      expect(ttl, `run:ttl${suffix}`).toBeGreaterThan(0);
      expect(ttl, `run:ttl${suffix}`).toBeLessThanOrEqual(5_000);
    }
    // The lease went with the end (this process held it; see the next test for another's).
    expect(await admin.exists(`${prefix}run:{ttl}:lease`)).toBe(0);
    await log.close();
  });

  it('watches every run with one pattern subscription, and a prefix with glob characters matches only itself', async () => {
    const globPrefix = `${prefix}[a*]?:`;
    const [watcher, stopper, neighbour] = [
      new RedisRunLog({ url, prefix: globPrefix, ttlMs: 60_000 }),
      new RedisRunLog({ url, prefix: globPrefix, ttlMs: 60_000 }),
      // Keys this prefix makes would match the glob prefix if its characters were not escaped.
      new RedisRunLog({ url, prefix: `${prefix}ab:`, ttlMs: 60_000 }),
    ];
    const stops = new Map<string, number>();
    const runs = ['one', 'two', 'three'];
    for (const runId of runs) await watcher.watchStop(runId, () => stops.set(runId, (stops.get(runId) ?? 0) + 1));
    // No run has a channel subscription of its own: the watcher's one pattern serves all three.
    expect(await admin.call('PUBSUB', 'CHANNELS', `${prefix}*`)).toEqual([]);
    expect(Number(await admin.call('PUBSUB', 'NUMPAT'))).toBeGreaterThan(0);

    await neighbour.requestStop('one');
    await stopper.requestStop('two');
    await sleep(150);
    expect(Object.fromEntries(stops)).toEqual({ two: 1 });
    await Promise.all([watcher.close(), stopper.close(), neighbour.close()]);
    const keys = await admin.keys(`${prefix}*stop`);
    if (keys.length > 0) await admin.del(...keys);
  });

  it('delivers a stop requested while its subscriber was disconnected, once it is back', async () => {
    const [watcher, stopper] = [make(), make()];
    let stops = 0;
    await watcher.watchStop('while-away', () => stops++);
    // The watcher's own subscriber connection (private: this is what a dropped connection looks like).
    const { subscriber } = (watcher as unknown as { connections: { subscriber: Redis } }).connections;
    const port = (subscriber as unknown as { stream: { localPort: number } }).stream.localPort;
    await admin.call('CLIENT', 'KILL', 'ADDR', `127.0.0.1:${port}`);
    await stopper.requestStop('while-away');
    for (let waited = 0; stops === 0 && waited < 3_000; waited += 50) await sleep(50);
    expect(stops).toBe(1);
    await Promise.all([watcher.close(), stopper.close()]);
  });

  it('only releases a lease this instance holds: a producer whose run another process ends keeps it, for no longer than the ended run lives', async () => {
    const [producer, elsewhere] = [make({ ttlMs: 5_000 }), make({ ttlMs: 5_000 })];
    await producer.renewLease('ended-elsewhere', 60_000);
    expect(await elsewhere.end('ended-elsewhere', 'interrupted')).toBe(true);
    expect(await producer.hasLease('ended-elsewhere')).toBe(true);
    expect(await admin.pttl(`${prefix}run:{ended-elsewhere}:lease`)).toBeLessThanOrEqual(5_000);
    await producer.end('ended-elsewhere', 'complete');
    expect(await elsewhere.hasLease('ended-elsewhere')).toBe(false);
    await Promise.all([producer.close(), elsewhere.close()]);
  });

  it('shares one blocking connection among readers waiting at the same position, and one parse of what it brings', async () => {
    const log = make();
    const blockingClients = async () =>
      String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes('name=maestro-run-log-blocking')).length;
    const before = await blockingClients();
    const readers = Array.from({ length: 20 }, () => log.read('shared', undefined, { waitMs: 2_000 }));
    await sleep(100);
    expect((await blockingClients()) - before).toBe(1);
    await log.append('shared', [word(0)]);
    const results = await Promise.all(readers);
    for (const entries of results) expect(entries).toHaveLength(1);
    // The same entry objects, so a chunk's JSON is made once for every follower (`chunkJson`).
    for (const entries of results) expect(entries[0]).toBe(results[0]![0]);
    await log.close();
  });

  it('rejects with a recognisable error, quickly, when Redis is down', async () => {
    const log = new RedisRunLog({ url: 'redis://127.0.0.1:1', prefix, ttlMs: 1_000 });
    const started = Date.now();
    const failures = await Promise.allSettled([
      log.append('down', [word(0)]),
      log.read('down', undefined, { waitMs: 0 }),
      log.read('down', undefined, { waitMs: 1_000 }),
      log.hasLease('down'),
      log.watchStop('down', () => undefined),
    ]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      if (failure.status === 'rejected') expect(isRunLogUnavailable(failure.reason)).toBe(true);
    }
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(isRunLogUnavailable(new Error('other'))).toBe(false);
    await log.close();
    await expect(log.hasLease('down')).rejects.toSatisfy(isRunLogUnavailable);
  });
});
