import { describe, expect, it } from 'vitest';
import { MAX_REMEMBERED_CHATS, parseChoices, rememberChoice, resolveChoice } from '@/lib/chat/model-choices';

const AVAILABLE = new Set(['offline:maestro', 'local:llama', 'google:gemini-2.5-flash']);
const base = { stored: null, chatId: 'a', lastChosen: null, available: AVAILABLE, defaultId: 'offline:maestro' };

describe('per-chat model choices', () => {
  it('keeps each chat its own choice, most recently chosen first', () => {
    let stored = rememberChoice(null, 'a', 'local:llama');
    stored = rememberChoice(stored, 'b', 'google:gemini-2.5-flash');
    stored = rememberChoice(stored, 'a', 'offline:maestro');
    expect(parseChoices(stored)).toEqual([
      ['a', 'offline:maestro'],
      ['b', 'google:gemini-2.5-flash'],
    ]);
  });

  it('forgets the least recently chosen chats past the limit', () => {
    let stored: string | null = null;
    for (let i = 0; i < 5; i += 1) stored = rememberChoice(stored, `chat-${i}`, 'local:llama', 3);
    stored = rememberChoice(stored, 'chat-2', 'offline:maestro', 3); // chosen again: stays
    expect(parseChoices(stored).map(([id]) => id)).toEqual(['chat-2', 'chat-4', 'chat-3']);

    let full: string | null = null;
    for (let i = 0; i <= MAX_REMEMBERED_CHATS; i += 1) full = rememberChoice(full, `chat-${i}`, 'local:llama');
    const kept = parseChoices(full);
    expect(kept).toHaveLength(MAX_REMEMBERED_CHATS);
    expect(kept.some(([id]) => id === 'chat-0')).toBe(false);
  });

  it('reads damaged storage as no choices', () => {
    for (const stored of ['not json', '{"a":"b"}', '[["a"],[1,2],"x"]', 'null']) expect(parseChoices(stored)).toEqual([]);
    expect(parseChoices('[["a","local:llama"],["b"]]')).toEqual([['a', 'local:llama']]);
  });

  it("prefers the chat's own choice, then the model that answered it, then the last choice, then the default", () => {
    const stored = rememberChoice(null, 'a', 'local:llama');
    const everything = { ...base, stored, answeredWith: 'google:gemini-2.5-flash', lastChosen: 'offline:maestro' };
    expect(resolveChoice(everything)).toBe('local:llama');
    expect(resolveChoice({ ...everything, chatId: 'new' })).toBe('google:gemini-2.5-flash');
    expect(resolveChoice({ ...everything, chatId: 'new', answeredWith: undefined, lastChosen: 'local:llama' })).toBe('local:llama');
    expect(resolveChoice({ ...base, defaultId: 'google:gemini-2.5-flash' })).toBe('google:gemini-2.5-flash');
  });

  it('skips a remembered model that is no longer available', () => {
    const stored = rememberChoice(null, 'a', 'openai:gpt-5');
    expect(resolveChoice({ ...base, stored, lastChosen: 'local:gone' })).toBe('offline:maestro');
    expect(resolveChoice({ ...base, stored, answeredWith: 'openai:gpt-5', lastChosen: 'local:llama' })).toBe('local:llama');
  });
});
