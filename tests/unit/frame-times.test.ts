import { describe, expect, it } from 'vitest';
import { getRunLog } from '@/lib/runs/log';
import { runEventStream } from '@/lib/runs/subscribe';
import { DONE_DATA, frameTime, parseSseBody, sseFrame } from '@/lib/wire';

async function streamOf(runId: string, frameTimes: boolean): Promise<string> {
  return new Response(runEventStream(runId, undefined, new AbortController().signal, { frameTimes })).text();
}

describe('frame times on the SSE stream', () => {
  it('puts `: at <ms>` on every frame when asked, and nothing else changes', async () => {
    const runId = `frame-times-${Date.now()}`;
    const before = Date.now();
    await getRunLog().append(runId, [
      { type: 'text-delta', id: 't', delta: 'one ' },
      { type: 'text-delta', id: 't', delta: 'two' },
    ]);
    await getRunLog().end(runId, 'complete');
    const after = Date.now();

    const timed = await streamOf(runId, true);
    const frames = parseSseBody(timed);
    expect(frames).toHaveLength(3);
    // Each frame is `id:`, then `: at <ms>`, then `data:`, and nothing else.
    expect(timed).toBe(frames.map(sseFrame).join(''));
    for (const frame of frames) {
      expect(frame.id).toMatch(/^\d+$/);
      expect(frame.comments).toHaveLength(1);
      const at = frameTime(frame);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
      expect(frame.data).toBeDefined();
    }
    expect(frames.at(-1)?.data).toBe(DONE_DATA);

    const plain = await streamOf(runId, false);
    expect(plain).not.toContain(': at ');
    expect(plain).toBe(timed.replace(/^: at \d+\n/gm, ''));
  });
});
