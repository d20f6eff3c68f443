import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { planResponse, promptText, stableHash, type Plan } from '@/lib/models/offline/plan';

/**
 * Maestro's offline model, a real `LanguageModelV4` with no network: it plans from the prompt (plan.ts) and
 * streams a word per delta on a fixed `delayMs` schedule, as a provider keeps its own pace whatever the reader's.
 */

export type OfflineModelOptions = {
  /** Pause between streamed words (and tool-input pieces), in milliseconds; 0 streams without timers. */
  delayMs: number;
};

/** The words of `text` one at a time, each with the whitespace after it: the pieces join back exactly. */
function* eachWord(text: string): Generator<string> {
  let any = false;
  for (const [word] of text.matchAll(/\s*\S+\s*/g)) {
    any = true;
    yield word;
  }
  if (!any && text !== '') yield text;
}

/** All the words of `text` (see `eachWord`). */
export function splitWords(text: string): string[] {
  return [...eachWord(text)];
}

/** Splits a JSON tool input into a few pieces (after each `:` and `,`), as a provider streams it. */
function splitJson(input: string): string[] {
  return input.match(/[^:,]+[:,]?|[:,]/g) ?? [input];
}

function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

function promptWords(prompt: LanguageModelV4Prompt): number {
  let words = 0;
  for (const message of prompt) {
    if (message.role === 'system') {
      words += countWords(message.content);
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') words += countWords(part.text);
      else if (part.type === 'tool-call') words += countWords(JSON.stringify(part.input) ?? '');
      else if (part.type === 'tool-result') words += countWords(JSON.stringify(part.output));
    }
  }
  return words;
}

function usageFor(prompt: LanguageModelV4Prompt, plan: Plan): LanguageModelV4Usage {
  const input = promptWords(prompt);
  const reasoning = splitWords(plan.reasoning).length;
  const output = plan.kind === 'text' ? splitWords(plan.text).length : countWords(plan.input);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: reasoning + output, text: plan.kind === 'text' ? output : 0, reasoning },
  };
}

function finishReasonFor(plan: Plan): LanguageModelV4FinishReason {
  return plan.kind === 'text' ? { unified: 'stop', raw: 'stop' } : { unified: 'tool-calls', raw: 'tool_calls' };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

type Step = { part: LanguageModelV4StreamPart; paced: boolean };

/**
 * The parts of the stream, made as they are read: a long answer is thousands of parts, and a
 * thousand answers streaming at once would otherwise hold all of theirs from the start.
 */
function* streamSteps(plan: Plan, responseId: string, usage: LanguageModelV4Usage): Generator<Step> {
  yield { part: { type: 'stream-start', warnings: [] }, paced: false };
  yield { part: { type: 'response-metadata', id: responseId, modelId: 'maestro', timestamp: new Date() }, paced: false };
  // It thinks before it acts: its reasoning streams first, at the same pace as its text.
  const reasoningId = 'reasoning-0';
  yield { part: { type: 'reasoning-start', id: reasoningId }, paced: false };
  for (const delta of eachWord(plan.reasoning)) yield { part: { type: 'reasoning-delta', id: reasoningId, delta }, paced: true };
  yield { part: { type: 'reasoning-end', id: reasoningId }, paced: false };
  if (plan.kind === 'text') {
    const id = 'text-0';
    yield { part: { type: 'text-start', id }, paced: false };
    for (const delta of eachWord(plan.text)) yield { part: { type: 'text-delta', id, delta }, paced: true };
    yield { part: { type: 'text-end', id }, paced: false };
  } else {
    const id = plan.toolCallId;
    yield { part: { type: 'tool-input-start', id, toolName: plan.toolName }, paced: false };
    for (const delta of splitJson(plan.input)) yield { part: { type: 'tool-input-delta', id, delta }, paced: true };
    yield { part: { type: 'tool-input-end', id }, paced: false };
    yield { part: { type: 'tool-call', toolCallId: plan.toolCallId, toolName: plan.toolName, input: plan.input }, paced: false };
  }
  yield { part: { type: 'finish', usage, finishReason: finishReasonFor(plan) }, paced: false };
}

export class OfflineLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4' as const;
  readonly provider = 'offline';
  readonly modelId = 'maestro';
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly delayMs: number;

  constructor(options: OfflineModelOptions) {
    this.delayMs = Math.max(0, options.delayMs);
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw abortReason(signal);
    const plan = planResponse(options);
    const content: LanguageModelV4Content[] = [
      { type: 'reasoning', text: plan.reasoning },
      plan.kind === 'text'
        ? { type: 'text', text: plan.text }
        : { type: 'tool-call', toolCallId: plan.toolCallId, toolName: plan.toolName, input: plan.input },
    ];
    return {
      content,
      finishReason: finishReasonFor(plan),
      usage: usageFor(options.prompt, plan),
      warnings: [],
      response: { id: `resp_${stableHash(promptText(options.prompt))}`, modelId: this.modelId, timestamp: new Date() },
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw abortReason(signal);
    const plan = planResponse(options);
    const steps = streamSteps(plan, `resp_${stableHash(promptText(options.prompt))}`, usageFor(options.prompt, plan));
    const delayMs = this.delayMs;

    let pacedSoFar = 0;
    let pacingStartedAt = 0;
    let finished = false;
    let onAbort: (() => void) | undefined;
    // The word waiting for its time: the end of the stream (an abort) ends the wait. One abort
    // listener per stream, not one per word: with a thousand streams, adding and removing a
    // listener on the SDK's combined signal for every word cost as much as the rest of the model.
    let pause: { timer: ReturnType<typeof setTimeout>; resume: () => void } | undefined;
    const cleanup = () => {
      finished = true;
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (pause) {
        clearTimeout(pause.timer);
        pause.resume();
      }
    };

    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        if (!signal) return;
        onAbort = () => {
          if (finished) return;
          cleanup();
          controller.error(abortReason(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      },
      // One part per pull: the consumer's pace (and an abort) is honoured between words.
      async pull(controller) {
        if (finished) return;
        const { value: step } = steps.next();
        if (!step) {
          cleanup();
          controller.close();
          return;
        }
        if (step.paced && delayMs > 0) {
          if (pacedSoFar === 0) pacingStartedAt = performance.now();
          const dueIn = pacingStartedAt + pacedSoFar * delayMs - performance.now();
          pacedSoFar += 1;
          if (dueIn > 0) {
            await new Promise<void>((resume) => {
              pause = { timer: setTimeout(resume, dueIn), resume };
            });
            pause = undefined;
          }
        }
        if (finished) return;
        controller.enqueue(step.part);
      },
      cancel() {
        cleanup();
      },
    });
    return { stream };
  }
}

/** The offline model, `offline:maestro`. */
export function createOfflineModel(options: OfflineModelOptions): OfflineLanguageModel {
  return new OfflineLanguageModel(options);
}
