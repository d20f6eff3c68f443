import { dynamicTool, jsonSchema, type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { ToolTimeoutError, withToolTimeouts } from '@/lib/agent/tool-timeout';

type Execute = (input: unknown, options: { toolCallId: string; messages: []; abortSignal?: AbortSignal }) => AsyncIterable<unknown>;

describe('withToolTimeouts on a streaming tool', () => {
  it('fails a call that runs past the limit after its progress, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const tools: ToolSet = {
      slow: dynamicTool({
        inputSchema: jsonSchema({ type: 'object' }),
        execute: async function* (_input, options) {
          signal = options.abortSignal;
          yield { status: 'running' };
          await new Promise(() => {});
        },
      }),
    };
    const execute = withToolTimeouts(tools, 100).slow?.execute as unknown as Execute;
    const outputs: unknown[] = [];
    const started = Date.now();
    await expect(
      (async () => {
        for await (const output of execute({}, { toolCallId: 'c', messages: [] })) outputs.push(output);
      })(),
    ).rejects.toBeInstanceOf(ToolTimeoutError);
    expect(outputs).toEqual([{ status: 'running' }]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(signal?.aborted).toBe(true);
  });

  it('passes every output of a call that ends in time', async () => {
    const tools: ToolSet = {
      quick: dynamicTool({
        inputSchema: jsonSchema({ type: 'object' }),
        execute: async function* () {
          yield 1;
          yield 2;
        },
      }),
    };
    const execute = withToolTimeouts(tools, 1_000).quick?.execute as unknown as Execute;
    const outputs: unknown[] = [];
    for await (const output of execute({}, { toolCallId: 'c', messages: [] })) outputs.push(output);
    expect(outputs).toEqual([1, 2]);
  });
});
