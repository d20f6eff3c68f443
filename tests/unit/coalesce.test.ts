import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { isStepCount, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { coalesceDeltas, withCoalescedDeltas } from '@/lib/agent/coalesce';
import { createOfflineModel } from '@/lib/models/offline';
import { sleep } from '@/tests/helpers/sleep';

const delta = (text: string, id = 't'): LanguageModelV4StreamPart => ({ type: 'text-delta', id, delta: text });

/** Writes `parts` `gapMs` apart through the coalescer; returns what came out and when (ms after the start). */
async function through(parts: LanguageModelV4StreamPart[], windowMs: number, gapMs: number) {
  const coalescer = coalesceDeltas(windowMs);
  const writer = coalescer.writable.getWriter();
  const out: Array<{ part: LanguageModelV4StreamPart; at: number }> = [];
  const started = performance.now();
  const reading = (async () => {
    for await (const part of coalescer.readable) out.push({ part, at: performance.now() - started });
  })();
  for (const part of parts) {
    await writer.write(part);
    await sleep(gapMs);
  }
  await writer.close();
  await reading;
  return out;
}

describe('coalesced deltas', () => {
  it('sends the first delta at once and merges the ones that follow within the window, in order', async () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i} `);
    const parts: LanguageModelV4StreamPart[] = [
      { type: 'text-start', id: 't' },
      ...words.map((word) => delta(word)),
      { type: 'text-end', id: 't' },
    ];
    const out = await through(parts, 60, 10);
    const deltas = out.filter(({ part }) => part.type === 'text-delta');
    expect(out[0]?.part.type).toBe('text-start');
    expect(out.at(-1)?.part.type).toBe('text-end');
    expect(deltas.map(({ part }) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe(words.join(''));
    expect(deltas[0]?.at).toBeLessThan(30);
    // 20 words over ~200 ms in 60 ms windows: a handful of deltas, not 20.
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.length).toBeLessThanOrEqual(7);
  });

  it('never merges across blocks or other parts', async () => {
    const parts: LanguageModelV4StreamPart[] = [
      delta('a', 'one'),
      delta('b', 'one'),
      { type: 'reasoning-delta', id: 'r', delta: 'think' },
      delta('c', 'two'),
      { type: 'tool-input-start', id: 'call', toolName: 'calculator' },
      delta('d', 'two'),
    ];
    const out = await through(parts, 1_000, 0);
    expect(out.map(({ part }) => ('delta' in part ? `${part.type}:${part.delta}` : part.type))).toEqual([
      'text-delta:a',
      'text-delta:b',
      'reasoning-delta:think',
      'text-delta:c',
      'tool-input-start',
      'text-delta:d',
    ]);
  });

  it('sends nothing until the producer has its turn, whether a part or the end of a window sets the send off', async () => {
    // The producer's turn, opened and closed by the test.
    let open = true;
    let waiters: Array<() => void> = [];
    const waitForShare = () => (open ? undefined : new Promise<void>((resolve) => waiters.push(resolve)));
    const giveTurn = () => {
      open = true;
      for (const resolve of waiters) resolve();
      waiters = [];
    };
    const coalescer = coalesceDeltas(30, waitForShare);
    const writer = coalescer.writable.getWriter();
    const out: string[] = [];
    const reading = (async () => {
      for await (const part of coalescer.readable) out.push('delta' in part ? part.delta : part.type);
    })();

    await writer.write({ type: 'text-start', id: 't' });
    await writer.write(delta('a '));
    await sleep(5);
    expect(out).toEqual(['text-start', 'a ']);

    // A delta within the window waits for the window's end, then for the turn.
    open = false;
    void writer.write(delta('b '));
    await sleep(60);
    expect(out).toEqual(['text-start', 'a ']);
    // Other parts wait for the turn too, behind what is waiting.
    void writer.write(delta('c ', 'other'));
    void writer.write({ type: 'text-end', id: 't' });
    await sleep(20);
    expect(out).toEqual(['text-start', 'a ']);

    giveTurn();
    await writer.close();
    await reading;
    expect(out).toEqual(['text-start', 'a ', 'b ', 'c ', 'text-end']);
  });

  it('streams the offline model in fewer deltas with exactly the same text', async () => {
    const run = async (windowMs: number) => {
      const model = withCoalescedDeltas(createOfflineModel({ delayMs: 2 }), windowMs);
      const result = streamText({ model, prompt: 'Explain how Maestro streams answers.', stopWhen: isStepCount(1) });
      const deltas: string[] = [];
      for await (const part of result.stream) if (part.type === 'text-delta') deltas.push(part.text);
      return deltas;
    };
    const plain = await run(0);
    const coalesced = await run(25);
    expect(coalesced.join('')).toBe(plain.join(''));
    expect(coalesced.length).toBeLessThan(plain.length / 4);
  });
});
