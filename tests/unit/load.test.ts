import { describe, expect, it } from 'vitest';
import { countStreaming, loadStretch } from '@/lib/agent/load';
import { sleep } from '@/tests/helpers/sleep';


/** Keeps the event loop busy for `ms`, yielding briefly now and then (as a saturated server does). */
async function busyFor(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const slice = performance.now() + 20;
    while (performance.now() < slice) {
      // spin
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('loadStretch', () => {
  it('stretches while the event loop stays saturated, not for a burst, and comes back to 1 once it is idle', async () => {
    await sleep(300);
    expect(loadStretch()).toBe(1);
    // Half a second of work (a page render) is a burst.
    await busyFor(260);
    loadStretch();
    await busyFor(260);
    expect(loadStretch()).toBe(1);
    // Saturated by something else than many answers: no stretch.
    for (let i = 0; i < 12; i++) {
      await busyFor(260);
      loadStretch();
    }
    expect(loadStretch()).toBe(1);
    const streams = Array.from({ length: 20 }, () => countStreaming());
    let stretched = 1;
    for (let i = 0; i < 4; i++) {
      await busyFor(260);
      stretched = loadStretch();
    }
    for (const done of streams) done();
    expect(stretched).toBeGreaterThan(1);
    expect(stretched).toBeLessThanOrEqual(5);
    for (let i = 0; i < 12; i++) {
      await sleep(260);
      loadStretch();
    }
    expect(loadStretch()).toBe(1);
  });
});
