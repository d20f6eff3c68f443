import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { wrapModel } from '@/lib/agent/wrap-model';

type DeltaPart = Extract<LanguageModelV4StreamPart, { type: 'text-delta' | 'reasoning-delta' }>;

const isDelta = (part: LanguageModelV4StreamPart): part is DeltaPart => part.type === 'text-delta' || part.type === 'reasoning-delta';

/**
 * Merges a model stream's text (and reasoning) deltas so that at most one goes out per `windowMs`
 * for a block: the first at once, the ones that follow within the window together when it ends.
 * Any other part first sends what is waiting, so the order of everything is kept. `waitForShare`,
 * when it returns a promise, is waited for before each send: a part sent sets off the agent's
 * whole pipeline, and the producer shares the event loop with the others (see lib/runs/event-loop-share.ts).
 * The window is fixed, not stretched with the load: a longer window adds its length to every
 * token's delivery lag (see `npm run bench -- --only=network`).
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
 * The model with its deltas coalesced (see `coalesceDeltas`). Every part a model sends travels
 * through the agent's stream, the status, the run log and every viewer's connection, at a cost per
 * part whatever its size: fuller parts let one process carry many more answers at once. 0 turns
 * it off.
 */
export function withCoalescedDeltas(model: LanguageModelV4, windowMs: number, waitForShare?: () => Promise<void> | undefined): LanguageModelV4 {
  if (windowMs <= 0) return model;
  return wrapModel(model, {
    doGenerate: (options) => model.doGenerate(options),
    doStream: async (options) => {
      const result = await model.doStream(options);
      return { ...result, stream: result.stream.pipeThrough(coalesceDeltas(windowMs, waitForShare)) };
    },
  });
}
