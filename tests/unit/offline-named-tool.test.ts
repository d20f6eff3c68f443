import { describe, expect, it } from 'vitest';
import { planResponse } from '@/lib/models/offline';
import { namedToolCall } from '@/lib/models/offline/named-tool';

const available = new Set(['everything__echo', 'everything__echo_twice', 'calculator', 'fs__read_text_file']);

describe('namedToolCall', () => {
  it('calls the tool the message names with the JSON object that follows', () => {
    expect(namedToolCall('Use everything__echo with {"message":"hi"}', available)).toEqual({
      toolName: 'everything__echo',
      input: { message: 'hi' },
    });
    expect(namedToolCall('please run calculator {"expression": "2 * (3 + 4)"} now', available)).toEqual({
      toolName: 'calculator',
      input: { expression: '2 * (3 + 4)' },
    });
    expect(namedToolCall('fs__read_text_file {"path":"/tmp/a {b}.txt","head":2}', available)).toEqual({
      toolName: 'fs__read_text_file',
      input: { path: '/tmp/a {b}.txt', head: 2 },
    });
  });

  it('matches whole names only, the longer of two that start alike', () => {
    expect(namedToolCall('Use everything__echo_twice with {"message":"hi"}', available)?.toolName).toBe('everything__echo_twice');
    expect(namedToolCall('Use xeverything__echo with {"message":"hi"}', available)).toBeNull();
  });

  it('needs a tool that is offered and a JSON object', () => {
    expect(namedToolCall('Use other__echo with {"message":"hi"}', available)).toBeNull();
    expect(namedToolCall('Use everything__echo please', available)).toBeNull();
    expect(namedToolCall('Use everything__echo with {"message":', available)).toBeNull();
    expect(namedToolCall('Use everything__echo with {message: hi}', available)).toBeNull();
    expect(namedToolCall('Use everything__echo with ["hi"]', available)).toBeNull();
  });
});

describe('the offline model with a named tool', () => {
  const tool = (name: string) => ({ type: 'function' as const, name, inputSchema: { type: 'object' as const } });
  const prompt = (text: string) => [{ role: 'user' as const, content: [{ type: 'text' as const, text }] }];

  it('plans the call, for an MCP tool as for a built-in one', () => {
    const plan = planResponse({
      prompt: prompt('Use everything__echo with {"message":"hi"}'),
      tools: [tool('everything__echo'), tool('calculator')],
    });
    expect(plan).toMatchObject({ kind: 'tool-call', toolName: 'everything__echo', input: '{"message":"hi"}' });
    const builtin = planResponse({ prompt: prompt('calculator {"expression":"1+1"}'), tools: [tool('calculator')] });
    expect(builtin).toMatchObject({ kind: 'tool-call', toolName: 'calculator', input: '{"expression":"1+1"}' });
  });

  it('answers in text when the named tool is not offered', () => {
    expect(planResponse({ prompt: prompt('Use everything__echo with {"message":"hi"}'), tools: [tool('calculator')] }).kind).toBe('text');
  });
});
