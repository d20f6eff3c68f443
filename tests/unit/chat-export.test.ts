import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@/lib/chat/types';
import { attachmentDisposition, chatToJson, chatToMarkdown } from '@/lib/chats/export';

const chat = { id: 'c1', title: 'Fences & tools', createdAt: '2025-01-31T12:00:00.000Z', updatedAt: '2025-01-31T12:05:30.000Z' };

const messages: ChatMessage[] = [
  { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Read notes.md' }] },
  {
    id: 'a1',
    role: 'assistant',
    metadata: { model: 'offline:maestro', outcome: 'stopped' },
    parts: [
      { type: 'step-start' },
      { type: 'reasoning', text: 'private thoughts', state: 'done' },
      {
        type: 'dynamic-tool',
        toolName: 'read_file',
        toolCallId: 'call-1',
        state: 'output-available',
        input: { path: 'notes.md' },
        output: { text: 'a ``` fence and ```` more' },
      },
      {
        type: 'dynamic-tool',
        toolName: 'list_files',
        toolCallId: 'call-2',
        state: 'output-error',
        input: { path: '..' },
        errorText: 'Outside the workspace',
      },
      {
        type: 'dynamic-tool',
        toolName: 'docs__search',
        toolCallId: 'call-3',
        state: 'output-denied',
        input: { q: 'x' },
        approval: { id: 'ap-1', approved: false },
      },
      { type: 'text', text: '   ' },
      { type: 'text', text: 'The notes say hello.' },
      { type: 'data-status', id: 'status', data: { phase: 'stopped', label: 'Stopped', step: 2, elapsedMs: 9 } },
    ],
  },
];

describe('chatToMarkdown', () => {
  const markdown = chatToMarkdown(chat, messages);

  it('has the title as heading, the times, and each message under its role, separated by rules', () => {
    expect(
      markdown.startsWith(
        '# Fences & tools\n\n_Created 2025-01-31 12:00 UTC, last message 2025-01-31 12:05 UTC._\n\n---\n\n## User\n\nRead notes.md\n\n---\n\n## Assistant · offline:maestro · stopped\n\n',
      ),
    ).toBe(true);
    expect(markdown.endsWith('The notes say hello.\n')).toBe(true);
  });

  it('shows each tool call with its name, input and output or what became of it, in order', () => {
    const read = markdown.indexOf(
      '**Tool call: `read_file`**\n\nInput:\n\n```json\n{\n  "path": "notes.md"\n}\n```\n\nOutput:\n\n`````json\n',
    );
    const list = markdown.indexOf('**Tool call: `list_files`**\n\nInput:');
    const denied = markdown.indexOf('**Tool call: `docs__search`**');
    expect(read).toBeGreaterThan(0);
    expect(list).toBeGreaterThan(read);
    expect(markdown).toContain('Error: Outside the workspace');
    expect(denied).toBeGreaterThan(list);
    expect(markdown).toContain('Not run: the call was denied.');
    const withReason = chatToMarkdown(chat, [
      {
        id: 'a',
        role: 'assistant',
        parts: [
          {
            type: 'tool-write_file',
            toolCallId: 'w',
            state: 'output-denied',
            input: { path: 'a.txt', content: 'a' },
            approval: { id: 'ap', approved: false, reason: 'not now' },
          },
        ],
      },
    ]);
    expect(withReason).toContain('Not run: the call was denied (not now).');
    expect(markdown.indexOf('The notes say hello.')).toBeGreaterThan(denied);
  });

  it('fences tool output with more backticks than it holds, and leaves out reasoning, status and empty text', () => {
    expect(markdown).toContain('`````json\n{\n  "text": "a ``` fence and ```` more"\n}\n`````');
    expect(markdown).not.toContain('private thoughts');
    expect(markdown).not.toContain('Stopped');
    expect(markdown).not.toMatch(/\n\n\s+\n\n/);
  });
});

describe('chatToJson', () => {
  it('is the chat and its messages, as they are', () => {
    expect(JSON.parse(chatToJson(chat, messages))).toStrictEqual({ chat, messages });
  });
});

describe('attachmentDisposition', () => {
  it('names the file after the title: ASCII letters and digits in filename, the title itself in filename*', () => {
    expect(attachmentDisposition('Café: "quotes" / slashes?', 'md')).toBe(
      `attachment; filename="cafe-quotes-slashes.md"; filename*=UTF-8''Caf%C3%A9%20quotes%20slashes.md`,
    );
    expect(attachmentDisposition("Tom's (draft)", 'json')).toBe(
      `attachment; filename="tom-s-draft.json"; filename*=UTF-8''Tom%27s%20%28draft%29.json`,
    );
  });

  it('falls back to "chat" when nothing of the title is left, and never lets the title break the header', () => {
    expect(attachmentDisposition('東京の天気', 'md')).toBe(
      `attachment; filename="chat.md"; filename*=UTF-8''${encodeURIComponent('東京の天気.md')}`,
    );
    expect(attachmentDisposition('???', 'md')).toBe(`attachment; filename="chat.md"; filename*=UTF-8''chat.md`);
    const header = attachmentDisposition('a\r\nSet-Cookie: x=1; "b"\\', 'md');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(`attachment; filename="a-set-cookie-x-1-b.md"; filename*=UTF-8''a%20Set-Cookie%20x%3D1%3B%20b.md`);
  });
});
