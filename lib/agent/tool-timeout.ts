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
        const result: unknown = execute(input, { ...options, abortSignal: controller.signal });
        // Streaming tools (generators) report as they go; their own signal is what stops them.
        if (isAsyncIterable(result)) {
          cleanup();
          return result;
        }
        return Promise.race([Promise.resolve(result), timedOut]).finally(cleanup);
      },
    } as ToolSet[string];
  }
  return wrapped as T;
}
