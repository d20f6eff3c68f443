import type { ToolSet } from 'ai';

type ExecuteOptions = Parameters<NonNullable<ToolSet[string]['execute']>>[1];

/** The error a tool call fails with when it runs past its time limit; its message goes to the card and the model. */
export class ToolTimeoutError extends Error {
  constructor(toolName: string, timeoutMs: number) {
    super(`${toolName} took longer than ${formatSeconds(timeoutMs)} and was stopped.`);
    this.name = 'ToolTimeoutError';
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1_000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The outputs of a streaming tool, each awaited against the call's time limit; `cleanup` when it ends. */
async function* limited(outputs: AsyncIterable<unknown>, timedOut: Promise<never>, cleanup: () => void): AsyncGenerator<unknown> {
  const iterator = outputs[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timedOut]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    cleanup();
    // Stop a generator left waiting (past the limit, or when the reader stopped early); the call is
    // over, so a failure of the tool's own cleanup has nobody to go to but the log.
    void iterator.return?.().catch((error: unknown) => console.error('[maestro] a streaming tool failed while stopping:', error));
  }
}

/**
 * The tools, each call limited to `timeoutMs`: past it, the call's abort signal fires (so a tool
 * that listens stops its work) and the call fails with a ToolTimeoutError even if the tool ignores
 * the signal. The failure becomes the call's `tool-output-error` and the agent goes on.
 */
export function withToolTimeouts<T extends ToolSet>(tools: T, timeoutMs: number): T {
  const wrapped: ToolSet = {};
  for (const [name, original] of Object.entries(tools)) {
    const execute = original.execute;
    if (!execute) {
      wrapped[name] = original;
      continue;
    }
    wrapped[name] = {
      ...original,
      execute: (input: unknown, options: ExecuteOptions) => {
        const controller = new AbortController();
        const onAbort = () => controller.abort(options.abortSignal?.reason);
        options.abortSignal?.addEventListener('abort', onAbort, { once: true });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new ToolTimeoutError(name, timeoutMs);
            controller.abort(error);
            reject(error);
          }, timeoutMs);
        });
        const cleanup = () => {
          clearTimeout(timer);
          options.abortSignal?.removeEventListener('abort', onAbort);
        };
        // Only marks the limit's rejection handled for a call that ends first: when the limit wins,
        // the race below reports it as the call's failure.
        timedOut.catch(() => undefined);
        const result: unknown = execute(input, { ...options, abortSignal: controller.signal });
        // Streaming tools (generators) report as they go, under the same limit for the whole call.
        if (isAsyncIterable(result)) return limited(result, timedOut, cleanup);
        return Promise.race([Promise.resolve(result), timedOut]).finally(cleanup);
      },
    } as ToolSet[string];
  }
  return wrapped as T;
}
