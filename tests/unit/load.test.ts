import { describe, expect, it } from 'vitest';
import { loadStretch } from '@/lib/agent/load';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  it('stretches while the event loop is saturated and comes back to 1 once it is idle', async () => {
    await sleep(300);
    expect(loadStretch()).toBe(1);
    let stretched = 1;
    for (let i = 0; i < 4; i++) {
      await busyFor(300);
      stretched = loadStretch();
    }
    expect(stretched).toBeGreaterThan(1);
    expect(stretched).toBeLessThanOrEqual(5);
    for (let i = 0; i < 6; i++) {
      await sleep(300);
      loadStretch();
    }
    expect(loadStretch()).toBe(1);
  });
});
