import { describe, expect, it } from 'vitest';
import { answerStats, formatRate, formatSeconds, hasAnswerStats, tokensPerSecond } from '@/lib/chat/answer-stats';
import { measureMessage } from '@/lib/chat/message-length';

describe('message length against the limit', () => {
  it('shows no counter below 90% of the limit, and one from there', () => {
    expect(measureMessage('x'.repeat(899), 1_000)).toEqual({ length: 899, max: 1_000, showCounter: false, over: false, excess: 0 });
    expect(measureMessage('x'.repeat(900), 1_000)).toMatchObject({ showCounter: true, over: false });
    expect(measureMessage('x'.repeat(1_000), 1_000)).toMatchObject({ showCounter: true, over: false, excess: 0 });
  });

  it('is over the limit from one character past it, as the server counts', () => {
    expect(measureMessage('x'.repeat(1_001), 1_000)).toEqual({ length: 1_001, max: 1_000, showCounter: true, over: true, excess: 1 });
    // What is sent is trimmed; the server counts UTF-16 code units, as `length` does.
    expect(measureMessage(`  ${'x'.repeat(1_000)}\n\n`, 1_000).over).toBe(false);
    expect(measureMessage('😀'.repeat(501), 1_000)).toMatchObject({ length: 1_002, over: true, excess: 2 });
  });
});

describe('answer details', () => {
  it('counts tokens per second from the first token to the end, without the tools’ time', () => {
    // 2,000 ms in all: 400 to the first token, 600 in tools, so 1,000 ms of generation for 50 tokens.
    const metadata = { ttftMs: 400, durationMs: 2_000, usage: { inputTokens: 10, outputTokens: 50 }, toolDurationsMs: { a: 450, b: 150 } };
    expect(tokensPerSecond(metadata)).toBe(50);
    expect(tokensPerSecond({ ...metadata, toolDurationsMs: undefined })).toBeCloseTo(50 / 1.6);
    expect(tokensPerSecond({ ...metadata, ttftMs: undefined, toolDurationsMs: undefined })).toBe(25);
  });

  it('leaves tokens per second out when a figure is missing or no time is left', () => {
    expect(tokensPerSecond({ durationMs: 1_000 })).toBeUndefined();
    expect(tokensPerSecond({ usage: { outputTokens: 5 } })).toBeUndefined();
    expect(tokensPerSecond({ ttftMs: 1_000, durationMs: 1_000, usage: { outputTokens: 5 } })).toBeUndefined();
  });

  it('names each tool call that has a duration, in the order of the message', () => {
    const stats = answerStats(
      { ttftMs: 12, durationMs: 900, usage: { inputTokens: 7, outputTokens: 30 }, toolDurationsMs: { c2: 40, c1: 3 } },
      [
        { callId: 'c1', name: 'calculator' },
        { callId: 'c2', name: 'read_file' },
        { callId: 'c3', name: 'list_files' },
      ],
    );
    expect(stats).toMatchObject({ ttftMs: 12, inputTokens: 7, outputTokens: 30 });
    expect(stats.tools).toEqual([
      { callId: 'c1', name: 'calculator', durationMs: 3 },
      { callId: 'c2', name: 'read_file', durationMs: 40 },
    ]);
    expect(hasAnswerStats(stats)).toBe(true);
    expect(hasAnswerStats(answerStats({ model: 'offline:maestro', outcome: 'stopped' }, []))).toBe(false);
  });

  it('formats rates and reasoning times for reading', () => {
    expect(formatRate(38.46)).toBe('38 tokens/s');
    expect(formatRate(4.25)).toBe('4.3 tokens/s');
    expect(formatRate(12_345.6)).toBe('12,346 tokens/s');
    expect(formatSeconds(640)).toBe('0.6 s');
    expect(formatSeconds(12)).toBe('0.1 s');
    expect(formatSeconds(12_400)).toBe('12 s');
  });
});
