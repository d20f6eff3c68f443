import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { AnswerTimeLimits } from '@/lib/agent/time-limits';

/** A model whose stream sends `parts` and then stays silent, open. */
function silentAfter(parts: LanguageModelV4StreamPart[]): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doStream: async () => ({
      stream: new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
        },
      }),
    }),
  });
}

/** Reads the model's stream until `limits` aborts, and says which limit fired. */
async function firedWhileReading(limits: AnswerTimeLimits, model: MockLanguageModelV4) {
  const { stream } = await limits.watchSilence(model).doStream({ prompt: [] });
  const reader = stream.getReader();
  const aborted = new Promise<void>((resolve) => limits.signal.addEventListener('abort', () => resolve(), { once: true }));
  void (async () => {
    while (!(await reader.read()).done);
  })();
  await aborted;
  const reason: unknown = limits.signal.reason;
  limits.clear();
  return { fired: limits.fired, isTimeout: reason instanceof DOMException && reason.name === 'TimeoutError' };
}

describe('AnswerTimeLimits', () => {
  it('says the first chunk did not come when the model is silent from the start', async () => {
    const limits = new AnswerTimeLimits({ totalMs: 60_000, chunkMs: 30 }, new AbortController().signal);
    expect(
      await firedWhileReading(
        limits,
        silentAfter([
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't' },
        ]),
      ),
    ).toEqual({
      fired: 'first-chunk',
      isTimeout: true,
    });
  });

  it('says the model went silent after output, and counts an empty delta as no output', async () => {
    const limits = new AnswerTimeLimits({ totalMs: 60_000, chunkMs: 30 }, new AbortController().signal);
    const parts: LanguageModelV4StreamPart[] = [
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hi' },
    ];
    expect(await firedWhileReading(limits, silentAfter(parts))).toEqual({ fired: 'chunk', isTimeout: true });
    const empty = new AnswerTimeLimits({ totalMs: 60_000, chunkMs: 30 }, new AbortController().signal);
    expect((await firedWhileReading(empty, silentAfter([{ type: 'text-delta', id: 't', delta: '' }]))).fired).toBe('first-chunk');
  });

  it('says the total limit ran out', async () => {
    const limits = new AnswerTimeLimits({ totalMs: 30, chunkMs: 60_000 }, new AbortController().signal);
    expect(await firedWhileReading(limits, silentAfter([]))).toEqual({ fired: 'total', isTimeout: true });
  });

  it('names no limit for an answer stopped before one ran out', async () => {
    const stop = new AbortController();
    stop.abort();
    const limits = new AnswerTimeLimits({ totalMs: 10, chunkMs: 10 }, stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(limits.fired).toBeUndefined();
    expect(limits.signal.aborted).toBe(false);
    limits.clear();
  });
});
