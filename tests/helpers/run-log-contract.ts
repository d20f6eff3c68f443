import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamChunk } from '@/lib/chat/status';
import type { Outcome } from '@/lib/chat/types';
import { follow } from '@/lib/runs/log';
import type { LogEntry, RunLog } from '@/lib/runs/log/types';
import { comparePositions } from '@/lib/wire';
import { sleep } from '@/tests/helpers/sleep';

/**
 * A run log under test and a second handle on the same store, as another process (another
 * instance of the app) would have one. For a one-process backend both are the same object.
 */
export type RunLogPair = { log: RunLog; other: RunLog };
export type MakeRunLog = (options: { ttlMs?: number }) => RunLogPair;

export const word = (n: number): StreamChunk => ({ type: 'text-delta', id: 't', delta: `w${n} ` });

/** Everything in the log now (no waiting). */
export const readAll = (log: RunLog, runId: string, after?: string) => log.read(runId, after, { waitMs: 0 });

/** What an entry carries, without its position: for comparing sequences. */
export const payload = (entry: LogEntry) => (entry.kind === 'chunk' ? entry.chunk : { end: entry.outcome });

async function collect(entries: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const entry of entries) out.push(entry);
  return out;
}

/** The behaviour every RunLog backend must have; `makeLog` gives a fresh log for each test. */
export function describeRunLogContract(name: string, makeLog: MakeRunLog): void {
  describe(`RunLog contract: ${name}`, () => {
    const opened: RunLog[] = [];
    const make = (options: { ttlMs?: number } = {}): RunLogPair => {
      const pair = makeLog(options);
      opened.push(pair.log, pair.other);
      return pair;
    };
    const newRun = () => `run-${randomUUID()}`;

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((log) => log.close()));
    });

    it('stamps each entry with the time it entered the log', async () => {
      const { log } = make();
      const runId = newRun();
      // Redis stamps with its own clock in whole ms; allow for that rounding.
      const before = Date.now() - 1;
      await log.append(runId, [word(1), word(2)]);
      await sleep(15);
      const middle = Date.now();
      await log.end(runId, 'complete');
      const after = Date.now() + 1;
      const [first, second, end] = await readAll(log, runId);
      expect(first?.at).toBeGreaterThanOrEqual(before);
      expect(second?.at).toBeLessThan(middle);
      expect(end?.at).toBeGreaterThanOrEqual(middle - 1);
      expect(end?.at).toBeLessThanOrEqual(after);
    });

    it('keeps the order of many appends and batches, with increasing positions', async () => {
      const { log } = make();
      const runId = newRun();
      let n = 0;
      for (let batch = 1; n < 300; batch = (batch % 7) + 1) {
        await log.append(
          runId,
          Array.from({ length: batch }, () => word(n++)),
        );
      }
      const entries = await readAll(log, runId);
      expect(entries.map(payload)).toEqual(Array.from({ length: n }, (_, i) => word(i)));
      for (let i = 1; i < entries.length; i++) {
        expect(comparePositions(entries[i - 1]!.id, entries[i]!.id)).toBeLessThan(0);
      }
    });

    it('replays the whole log from the start, as often as asked, ending with the terminal entry', async () => {
      const { log } = make();
      const runId = newRun();
      await log.append(runId, [word(0), word(1)]);
      await log.append(runId, [word(2)]);
      await log.end(runId, 'complete');
      const first = await readAll(log, runId);
      expect(first.map(payload)).toEqual([word(0), word(1), word(2), { end: 'complete' }]);
      expect(first.at(-1)?.kind).toBe('end');
      expect(await readAll(log, runId)).toEqual(first);
    });

    it('resumes after a position (Last-Event-ID) with exactly the rest, no duplicates', async () => {
      const { log } = make();
      const runId = newRun();
      await log.append(
        runId,
        Array.from({ length: 20 }, (_, i) => word(i)),
      );
      await log.end(runId, 'complete');
      const all = await readAll(log, runId);
      for (const k of [0, 7, 19, 20]) {
        const rest = await readAll(log, runId, all[k]!.id);
        expect(rest).toEqual(all.slice(k + 1));
      }
    });

    it('reads nothing of a run it does not know, without waiting', async () => {
      const { log } = make();
      const started = Date.now();
      expect(await readAll(log, newRun())).toEqual([]);
      expect(Date.now() - started).toBeLessThan(200);
    });

    it('wakes a reader waiting on an empty log as soon as something is appended', async () => {
      const { log, other } = make();
      const runId = newRun();
      const started = Date.now();
      const reading = other.read(runId, undefined, { waitMs: 3_000 });
      await sleep(50);
      await log.append(runId, [word(0)]);
      const entries = await reading;
      expect(entries.map(payload)).toEqual([word(0)]);
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('wakes a reader waiting after the last entry when the run ends', async () => {
      const { log, other } = make();
      const runId = newRun();
      await log.append(runId, [word(0)]);
      const [last] = await readAll(other, runId);
      const started = Date.now();
      const reading = other.read(runId, last!.id, { waitMs: 3_000 });
      await sleep(50);
      await log.end(runId, 'stopped');
      expect((await reading).map(payload)).toEqual([{ end: 'stopped' }]);
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('returns [] after waitMs when nothing comes', async () => {
      const { log } = make();
      const runId = newRun();
      await log.append(runId, [word(0)]);
      const [last] = await readAll(log, runId);
      const started = Date.now();
      expect(await log.read(runId, last!.id, { waitMs: 150 })).toEqual([]);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(1_000);
    });

    it('ends a waiting read promptly when its signal aborts', async () => {
      const { log } = make();
      const runId = newRun();
      const abort = new AbortController();
      const started = Date.now();
      const reading = log.read(runId, undefined, { waitMs: 5_000, signal: abort.signal });
      await sleep(50);
      abort.abort();
      expect(await reading).toEqual([]);
      expect(Date.now() - started).toBeLessThan(400);
      // An already aborted signal does not wait at all.
      const again = Date.now();
      expect(await log.read(runId, undefined, { waitMs: 5_000, signal: abort.signal })).toEqual([]);
      expect(Date.now() - again).toBeLessThan(200);
    });

    it('gives 20 concurrent subscribers the identical full sequence while the producer appends', async () => {
      const { log, other } = make();
      const runId = newRun();
      const subscribers = Array.from({ length: 20 }, (_, i) =>
        collect(follow(i % 2 === 0 ? log : other, runId, undefined, { waitMs: 1_000 })),
      );
      await sleep(30);
      let n = 0;
      for (let batch = 1; n < 120; batch = (batch % 5) + 1) {
        await log.append(
          runId,
          Array.from({ length: batch }, () => word(n++)),
        );
        if (n % 3 === 0) await sleep(1);
      }
      await log.end(runId, 'complete');
      const expected = await readAll(log, runId);
      expect(expected).toHaveLength(n + 1);
      for (const received of await Promise.all(subscribers)) expect(received).toEqual(expected);
    });

    it('ends once: racing end calls give exactly one terminal entry, later ones return false', async () => {
      const { log, other } = make();
      const runId = newRun();
      await log.append(runId, [word(0)]);
      const outcomes: Outcome[] = ['complete', 'stopped', 'error', 'interrupted', 'complete', 'stopped'];
      const results = await Promise.all(outcomes.map((outcome, i) => (i % 2 === 0 ? log : other).end(runId, outcome)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = outcomes[results.indexOf(true)];
      const entries = await readAll(log, runId);
      expect(entries.filter((entry) => entry.kind === 'end')).toHaveLength(1);
      expect(entries.at(-1)).toMatchObject({ kind: 'end', outcome: winner });
      expect(await log.end(runId, 'complete')).toBe(false);
    });

    it('releases the lease of the process that ends the run, also when the run had ended already', async () => {
      const { log, other } = make();
      const ended = newRun();
      await log.renewLease(ended, 10_000);
      expect(await log.end(ended, 'complete')).toBe(true);
      expect(await other.hasLease(ended)).toBe(false);
      const endedElsewhere = newRun();
      await log.append(endedElsewhere, [word(0)]);
      await other.end(endedElsewhere, 'interrupted');
      await log.renewLease(endedElsewhere, 10_000);
      expect(await log.end(endedElsewhere, 'complete')).toBe(false);
      expect(await other.hasLease(endedElsewhere)).toBe(false);
    });

    it('ignores appends after the end: the terminal entry stays last', async () => {
      const { log, other } = make();
      const runId = newRun();
      await log.append(runId, [word(0)]);
      await log.end(runId, 'complete');
      await expect(log.append(runId, [word(1)])).resolves.toBeUndefined();
      await other.append(runId, [word(2), word(3)]);
      const entries = await readAll(log, runId);
      expect(entries.map(payload)).toEqual([word(0), { end: 'complete' }]);
      expect(await readAll(log, runId, entries.at(-1)!.id)).toEqual([]);
    });

    it('forgets an ended run after its TTL (entries and lease)', async () => {
      const { log } = make({ ttlMs: 200 });
      const runId = newRun();
      await log.renewLease(runId, 10_000);
      await log.append(runId, [word(0)]);
      await log.end(runId, 'complete');
      expect(await readAll(log, runId)).toHaveLength(2);
      await sleep(400);
      expect(await readAll(log, runId)).toEqual([]);
      expect(await log.hasLease(runId)).toBe(false);
    });

    it('delivers a stop requested from another instance to the producer, once', async () => {
      const { log, other } = make();
      const runId = newRun();
      let stops = 0;
      let stoppedAt = 0;
      await log.watchStop(runId, () => {
        stops++;
        stoppedAt = Date.now();
      });
      await sleep(20);
      expect(stops).toBe(0);
      const requestedAt = Date.now();
      await other.requestStop(runId);
      await other.requestStop(runId);
      await sleep(300);
      expect(stops).toBe(1);
      expect(stoppedAt - requestedAt).toBeLessThan(300);
    });

    it('delivers a stop requested before watchStop was called', async () => {
      const { log, other } = make();
      const runId = newRun();
      // Watch another run first, so that the producer is already subscribed and connected.
      await log.watchStop(newRun(), () => undefined);
      await other.requestStop(runId);
      let stops = 0;
      await log.watchStop(runId, () => stops++);
      await sleep(100);
      expect(stops).toBe(1);
    });

    it('stops calling back once unwatched, and keeps stops of other runs apart', async () => {
      const { log, other } = make();
      const [runA, runB] = [newRun(), newRun()];
      let stopsA = 0;
      let stopsB = 0;
      const unwatchA = await log.watchStop(runA, () => stopsA++);
      await log.watchStop(runB, () => stopsB++);
      unwatchA();
      await other.requestStop(runA);
      await sleep(150);
      expect(stopsA).toBe(0);
      expect(stopsB).toBe(0);
      await other.requestStop(runB);
      await sleep(150);
      expect(stopsB).toBe(1);
    });

    it('holds a lease while it is renewed, loses it when it lapses or the run ends', async () => {
      const { log, other } = make();
      const runId = newRun();
      expect(await log.hasLease(runId)).toBe(false);
      await log.renewLease(runId, 150);
      expect(await log.hasLease(runId)).toBe(true);
      expect(await other.hasLease(runId)).toBe(true);
      await sleep(80);
      await log.renewLease(runId, 150);
      await sleep(100);
      expect(await other.hasLease(runId)).toBe(true);
      await sleep(150);
      expect(await log.hasLease(runId)).toBe(false);
      expect(await other.hasLease(runId)).toBe(false);
      await log.renewLease(runId, 10_000);
      await log.end(runId, 'complete');
      expect(await log.hasLease(runId)).toBe(false);
      expect(await other.hasLease(runId)).toBe(false);
    });

    describe('follow()', () => {
      it('yields every entry up to and including the terminal entry, then returns', async () => {
        const { log, other } = make();
        const runId = newRun();
        await log.append(runId, [word(0), word(1)]);
        const following = collect(follow(other, runId, undefined, { waitMs: 1_000 }));
        await sleep(30);
        await log.append(runId, [word(2)]);
        await log.end(runId, 'complete');
        const entries = await following;
        expect(entries.map(payload)).toEqual([word(0), word(1), word(2), { end: 'complete' }]);
        // From a position: only what came after it.
        const rest = await collect(follow(other, runId, entries[1]!.id, { waitMs: 1_000 }));
        expect(rest).toEqual(entries.slice(2));
      });

      it('calls onIdle whenever a read comes back empty', async () => {
        const { log } = make();
        const runId = newRun();
        let idle = 0;
        const following = collect(follow(log, runId, undefined, { waitMs: 40, onIdle: async () => void idle++ }));
        await sleep(200);
        const idleBeforeAppend = idle;
        await log.append(runId, [word(0)]);
        await log.end(runId, 'complete');
        expect((await following).map(payload)).toEqual([word(0), { end: 'complete' }]);
        expect(idleBeforeAppend).toBeGreaterThanOrEqual(2);
      });

      it('lets onIdle end a run whose producer lost its lease (interrupted)', async () => {
        const { log, other } = make();
        const runId = newRun();
        await log.renewLease(runId, 100);
        await log.append(runId, [word(0)]);
        // The producer dies: no renewal, no end.
        const onIdle = async () => {
          if (!(await other.hasLease(runId))) await other.end(runId, 'interrupted');
        };
        const entries = await collect(follow(other, runId, undefined, { waitMs: 50, onIdle }));
        expect(entries.map(payload)).toEqual([word(0), { end: 'interrupted' }]);
      });

      it('returns when its signal aborts', async () => {
        const { log } = make();
        const abort = new AbortController();
        const started = Date.now();
        const following = collect(follow(log, newRun(), undefined, { waitMs: 5_000, signal: abort.signal }));
        await sleep(50);
        abort.abort();
        expect(await following).toEqual([]);
        expect(Date.now() - started).toBeLessThan(400);
      });
    });
  });
}
