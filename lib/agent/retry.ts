import { APICallError } from 'ai';
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamResult } from '@ai-sdk/provider';
import { isConnectionError } from '@/lib/http/network-error';
import { wrapModel } from '@/lib/agent/wrap-model';

/** One retry that is about to happen: `attempt` counts from 1 up to `maxRetries`. */
export type RetryNotice = { attempt: number; maxRetries: number; delayMs: number; reason: string };

export type RetryOptions = {
  /** Retries after the first attempt; 0 turns retrying off. */
  maxRetries: number;
  /** Wait before the first retry; doubled for each further one (unless the provider says how long). */
  initialDelayMs?: number;
  /** Longest wait between two attempts. */
  maxDelayMs?: number;
  /** Told about each retry before its wait starts, so the run can say so. */
  onRetry?: (notice: RetryNotice) => void;
};

const DEFAULT_INITIAL_DELAY_MS = 1_000;
const DEFAULT_MAX_DELAY_MS = 10_000;
/** A provider's `retry-after` is followed when it asks for at most this long. */
const MAX_PROVIDER_DELAY_MS = 60_000;

/** A transient provider failure: rate limited (429), a server error (5xx), or no connection. */
export function isTransientModelError(error: unknown): boolean {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 429 || status === 408 || (status !== undefined && status >= 500)) return true;
    return status === undefined && error.isRetryable;
  }
  return isConnectionError(error);
}

/** The wait a provider asked for (`retry-after-ms`, `retry-after` in seconds or as a date), if sensible. */
function providerDelayMs(error: unknown): number | undefined {
  if (!APICallError.isInstance(error) || !error.responseHeaders) return undefined;
  const headers = Object.fromEntries(Object.entries(error.responseHeaders).map(([key, value]) => [key.toLowerCase(), value]));
  let delay: number | undefined;
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && Number.isFinite(Number(ms))) delay = Number(ms);
  const after = headers['retry-after'];
  if (delay === undefined && after !== undefined) {
    const seconds = Number(after);
    delay = Number.isFinite(seconds) ? seconds * 1_000 : Date.parse(after) - Date.now();
  }
  if (delay === undefined || !Number.isFinite(delay) || delay < 0 || delay > MAX_PROVIDER_DELAY_MS) return undefined;
  return delay;
}

function describeReason(error: unknown): string {
  if (APICallError.isInstance(error) && error.statusCode !== undefined) return `HTTP ${error.statusCode}`;
  return 'connection failed';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The model with Maestro's one retry policy: a transient failure before the stream starts is retried with
 * backoff and reported through `onRetry`. Set the SDK's `maxRetries` to 0 beside it so every retry is
 * visible; a failure mid-stream is not retried, as its chunks have been delivered.
 */
export function withRetries(model: LanguageModelV4, options: RetryOptions): LanguageModelV4 {
  const initialDelayMs = options.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;

  async function attempt<T>(call: () => PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
    for (let retry = 0; ; retry += 1) {
      try {
        return await call();
      } catch (error) {
        if (retry >= options.maxRetries || signal?.aborted || !isTransientModelError(error)) throw error;
        const delayMs = providerDelayMs(error) ?? Math.min(maxDelayMs, initialDelayMs * 2 ** retry);
        options.onRetry?.({ attempt: retry + 1, maxRetries: options.maxRetries, delayMs, reason: describeReason(error) });
        await sleep(delayMs, signal);
      }
    }
  }

  return wrapModel(model, {
    doGenerate: (callOptions: LanguageModelV4CallOptions) => attempt(() => model.doGenerate(callOptions), callOptions.abortSignal),
    doStream: (callOptions: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> =>
      attempt(() => model.doStream(callOptions), callOptions.abortSignal),
  });
}
