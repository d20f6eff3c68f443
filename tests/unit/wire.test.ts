import { describe, expect, it } from 'vitest';
import {
  chatIdOfRoute,
  chatPath,
  comparePositions,
  DONE_DATA,
  DONE_LINE,
  frameTime,
  isLogPosition,
  isMemoryPosition,
  isStreamId,
  KEEP_ALIVE_COMMENT,
  parseSseBody,
  SseParser,
  sseFrame,
} from '@/lib/wire';

describe('SSE framing and parsing', () => {
  const body = [
    sseFrame({ id: '1', comments: ['at 1700000000000'], data: '{"type":"start"}' }),
    KEEP_ALIVE_COMMENT,
    sseFrame({ id: '2', data: 'two\nlines' }),
    sseFrame({ id: '3', data: '[DONE]' }),
  ].join('');

  it("ends a stream as the AI SDK's UI message stream does", () => {
    expect(sseFrame({ data: DONE_DATA })).toBe('data: [DONE]\n\n');
    expect(DONE_LINE).toBe('data: [DONE]');
    expect(KEEP_ALIVE_COMMENT).toBe(': keep-alive\n\n');
  });

  it('reads back what it writes, keep-alives as frames of comments only', () => {
    const events = parseSseBody(body);
    expect(events).toEqual([
      { id: '1', comments: ['at 1700000000000'], data: '{"type":"start"}' },
      { comments: ['keep-alive'] },
      { id: '2', comments: [], data: 'two\nlines' },
      { id: '3', comments: [], data: '[DONE]' },
    ]);
    expect(events.map(sseFrame).join('')).toBe(body);
    expect(frameTime(events[0]!)).toBe(1_700_000_000_000);
    expect(frameTime(events[2]!)).toBeUndefined();
  });

  it('gives the same events however the text is split, and holds back a frame cut off', () => {
    for (const size of [1, 2, 7, 64]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < body.length; i += size) events.push(...parser.push(body.slice(i, i + size)));
      expect(events).toEqual(parseSseBody(body));
    }
    expect(parseSseBody(`${body}id: 4\ndata: {"type":"te`)).toEqual(parseSseBody(body));
  });

  it('passes on the text of whole frames exactly as it came, however it is split', () => {
    const cut = `${body}id: 4\ndata: {"type":"te`;
    for (const size of [1, 3, 64, cut.length]) {
      const parser = new SseParser();
      let passed = '';
      for (let i = 0; i < cut.length; i += size) passed += parser.pushFrames(cut.slice(i, i + size)).frames;
      expect(passed).toBe(body);
    }
  });
});

describe('run-log positions', () => {
  it("tells the backends' formats apart and orders positions", () => {
    expect(isMemoryPosition('42')).toBe(true);
    expect(isMemoryPosition('1700000000000-0')).toBe(false);
    expect(isStreamId('1700000000000-3')).toBe(true);
    expect(isStreamId('42')).toBe(false);
    expect(['42', '1700000000000-3'].every(isLogPosition)).toBe(true);
    expect(['', '-1', '1-', 'abc', '1-2-3'].some(isLogPosition)).toBe(false);
    expect(comparePositions('9', '10')).toBeLessThan(0);
    expect(comparePositions('1700000000000-10', '1700000000000-9')).toBeGreaterThan(0);
    expect(comparePositions('1700000000000-0', '1700000000000')).toBe(0);
  });
});

describe('chat paths', () => {
  it('encodes the id and reads it back from a route', () => {
    expect(chatPath('a b/c')).toBe('/api/chats/a%20b%2Fc');
    expect(chatIdOfRoute(`${chatPath('a b/c')}/messages`)).toBe('a b/c');
    expect(chatIdOfRoute('/api/chats/x')).toBeUndefined();
    expect(chatIdOfRoute('/api/chats/%E0%A4%A/stream')).toBeUndefined();
  });
});
