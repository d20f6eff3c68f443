import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { wrapModel } from '@/lib/agent/wrap-model';

/** A time limit of one answer: its total time, the model's first output, the model's next output. */
export type TimeLimit = 'total' | 'first-chunk' | 'chunk';

/** Parts that count as the model's output (as the SDK counts them for its chunk timeouts). */
function isOutput(part: LanguageModelV4StreamPart): boolean {
  switch (part.type) {
    case 'text-delta':
    case 'reasoning-delta':
    case 'tool-input-delta':
      return part.delta.length > 0;
    case 'tool-call':
    case 'file':
    case 'reasoning-file':
      return true;
    default:
      return false;
  }
}

/**
 * One answer's time limits, in place of the SDK's `timeout` options: `signal` aborts with a `TimeoutError`
 * and `fired` says which limit ran out. `clear` ends the timers with the answer, where the SDK's would keep
 * the starting request's async context alive. A limit that fires after `stop` does not count.
 */
export class AnswerTimeLimits {
  private readonly controller = new AbortController();
  private readonly totalTimer: ReturnType<typeof setTimeout>;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private limitFired: TimeLimit | undefined;

  constructor(
    private readonly limits: { totalMs: number; chunkMs: number },
    private readonly stop: AbortSignal,
  ) {
    this.totalTimer = setTimeout(() => this.fire('total'), limits.totalMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The limit that cut the answer short, if one did. */
  get fired(): TimeLimit | undefined {
    return this.limitFired;
  }

  /**
   * The model, its every stream watched for silence: its first output must come within `chunkMs`
   * of the stream's start, and each next one within `chunkMs` of the one before.
   */
  watchSilence(model: LanguageModelV4): LanguageModelV4 {
    return wrapModel(model, {
      doGenerate: (options) => model.doGenerate(options),
      doStream: async (options) => {
        const result = await model.doStream(options);
        this.armSilence('first-chunk');
        const watched = new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
          transform: (part, controller) => {
            if (isOutput(part)) this.armSilence('chunk');
            else if (part.type === 'finish' || part.type === 'error') this.clearSilence();
            controller.enqueue(part);
          },
          flush: () => this.clearSilence(),
        });
        return { ...result, stream: result.stream.pipeThrough(watched) };
      },
    });
  }

  /** The answer ended: no limit can fire any more. */
  clear(): void {
    clearTimeout(this.totalTimer);
    this.clearSilence();
  }

  private armSilence(limit: 'first-chunk' | 'chunk'): void {
    this.clearSilence();
    this.silenceTimer = setTimeout(() => this.fire(limit), this.limits.chunkMs);
  }

  private clearSilence(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private fire(limit: TimeLimit): void {
    if (this.controller.signal.aborted || this.stop.aborted) return;
    this.limitFired = limit;
    this.controller.abort(new DOMException(`The ${limit} time limit ran out.`, 'TimeoutError'));
  }
}
