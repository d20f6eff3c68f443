import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { wrapModel } from '@/lib/agent/wrap-model';

type DeltaPart = Extract<LanguageModelV4StreamPart, { type: 'text-delta' | 'reasoning-delta' }>;

const isDelta = (part: LanguageModelV4StreamPart): part is DeltaPart => part.type === 'text-delta' || part.type === 'reasoning-delta';

/**
 * Sends at most one text/reasoning delta per `windowMs` per block (the first at once); any other part flushes first,
 * so order is kept. Each send awaits `waitForShare`, as it sets off the whole pipeline (lib/runs/event-loop-share.ts).
 * The window is fixed: a longer one adds to every token's lag (`npm run bench -- --only=network`).
 */
export function coalesceDeltas(
  windowMs: number,
  waitForShare: () => Promise<void> | undefined = () => undefined,
): TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart> {
  let waiting: DeltaPart | undefined;
  let sentAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let output: TransformStreamDefaultController<LanguageModelV4StreamPart> | undefined;

  const send = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!waiting || !output) return;
    const part = waiting;
    waiting = undefined;
    sentAt = performance.now();
    try {
      output.enqueue(part);
    } catch {
      // The stream was cancelled meanwhile: nobody is reading.
    }
  };

  // Every send waits for the producer's share when it is used up, a timer's as well, so that
  // the pipeline's work stays out of the timers phase, ahead of the I/O that delivers frames.
  const sendInShare = async () => {
    await waitForShare();
    send();
  };

  return new TransformStream({
    start(controller) {
      output = controller;
    },
    async transform(part) {
      if (!isDelta(part)) {
        await sendInShare();
        output?.enqueue(part);
        return;
      }
      if (waiting && waiting.type === part.type && waiting.id === part.id && !waiting.providerMetadata && !part.providerMetadata) {
        waiting = { ...waiting, delta: waiting.delta + part.delta };
      } else {
        if (waiting) await sendInShare();
        waiting = part;
      }
      const dueIn = sentAt + windowMs - performance.now();
      if (dueIn <= 0) await sendInShare();
      else timer ??= setTimeout(() => void sendInShare(), dueIn);
    },
    flush: sendInShare,
  });
}

/**
 * The model with its deltas coalesced (`coalesceDeltas`); 0 turns it off. Each part costs the same through
 * the stream, status, run log and every viewer, whatever its size, so fuller parts carry more answers at once.
 */
export function withCoalescedDeltas(
  model: LanguageModelV4,
  windowMs: number,
  waitForShare?: () => Promise<void> | undefined,
): LanguageModelV4 {
  if (windowMs <= 0) return model;
  return wrapModel(model, {
    doGenerate: (options) => model.doGenerate(options),
    doStream: async (options) => {
      const result = await model.doStream(options);
      return { ...result, stream: result.stream.pipeThrough(coalesceDeltas(windowMs, waitForShare)) };
    },
  });
}
