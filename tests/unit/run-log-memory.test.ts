import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MemoryRunLog } from '@/lib/runs/log/memory';
import { describeRunLogContract, readAll, word } from '@/tests/helpers/run-log-contract';
import { sleep } from '@/tests/helpers/sleep';

describeRunLogContract('memory', ({ ttlMs }) => {
  const log = new MemoryRunLog({ ttlMs: ttlMs ?? 60_000, maxEntries: 10_000 });
  // One process: "another instance" is the same log.
  return { log, other: log };
});

describe('MemoryRunLog', () => {
  it('numbers positions 1, 2, … and reads a forged position from the start', async () => {
    const log = new MemoryRunLog({ ttlMs: 1_000, maxEntries: 100 });
    await log.append('r', [word(0), word(1)]);
    await log.end('r', 'complete');
    const entries = await readAll(log, 'r');
    expect(entries.map((entry) => entry.id)).toEqual(['1', '2', '3']);
    expect(await readAll(log, 'r', 'not-a-position')).toEqual(entries);
    await log.close();
  });

  it('keeps at most about maxEntries per run, dropping the oldest', async () => {
    const log = new MemoryRunLog({ ttlMs: 1_000, maxEntries: 100 });
    for (let n = 0; n < 1_000; n += 10)
      await log.append(
        'r',
        Array.from({ length: 10 }, (_, i) => word(n + i)),
      );
    const entries = await readAll(log, 'r');
    expect(entries.length).toBeGreaterThanOrEqual(100);
    expect(entries.length).toBeLessThanOrEqual(110);
    expect(entries.at(-1)).toMatchObject({ id: '1000', chunk: word(999) });
    // Resuming from a dropped position gives what is left, in order.
    expect((await readAll(log, 'r', '5'))[0]).toEqual(entries[0]);
    await log.close();
  });

  it('drops a run that is never ended once it has been idle for idleTtlMs', async () => {
    const log = new MemoryRunLog({ ttlMs: 1_000, maxEntries: 100, idleTtlMs: 100 });
    await log.append('r', [word(0)]);
    await sleep(60);
    await log.append('r', [word(1)]);
    await sleep(60);
    expect(await readAll(log, 'r')).toHaveLength(2);
    await sleep(120);
    expect(await readAll(log, 'r')).toEqual([]);
    await log.close();
  });

  it('does not keep the context of the request that made a run alive while the run is kept', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const log = new MemoryRunLog({ ttlMs: 60_000, maxEntries: 100 });
    const request = new AsyncLocalStorage<{ body: string }>();
    let collected = false;
    const registry = new FinalizationRegistry(() => (collected = true));
    await (async () => {
      const context = { body: 'x'.repeat(1_000) };
      registry.register(context, 'request');
      await request.run(context, async () => {
        await log.append('r', [word(0)]);
        await log.end('r', 'complete');
      });
    })();
    for (let attempt = 0; attempt < 20 && !collected; attempt++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(collected).toBe(true);
    expect(await readAll(log, 'r')).toHaveLength(2);
    await log.close();
  });
});
