import { describe, expect, it } from 'vitest';
import { getRunLog } from '@/lib/runs/log';
import { runEventStream } from '@/lib/runs/subscribe';

async function streamOf(runId: string, frameTimes: boolean): Promise<string> {
  return new Response(runEventStream(runId, undefined, new AbortController().signal, { frameTimes })).text();
}

describe('frame times on the SSE stream', () => {
  it('puts `: at <ms>` on every frame when asked, and nothing else changes', async () => {
    const runId = `frame-times-${Date.now()}`;
    const before = Date.now();
    await getRunLog().append(runId, [{ type: 'text-delta', id: 't', delta: 'one ' }, { type: 'text-delta', id: 't', delta: 'two' }]);
    await getRunLog().end(runId, 'complete');
    const after = Date.now();

    const timed = await streamOf(runId, true);
    const frames = timed.trimEnd().split('\n\n');
    expect(frames).toHaveLength(3);
    for (const frame of frames) {
      const [id, time, data] = frame.split('\n');
      expect(id).toMatch(/^id: \d+$/);
      const at = Number(/^: at (\d+)$/.exec(time ?? '')?.[1]);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
      expect(data).toMatch(/^data: /);
    }
    expect(frames.at(-1)).toMatch(/data: \[DONE\]$/);

    const plain = await streamOf(runId, false);
    expect(plain).not.toContain(': at ');
    expect(plain).toBe(timed.replace(/^: at \d+\n/gm, ''));
  });
});
