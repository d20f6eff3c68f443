import { describe, expect, it } from 'vitest';
import { countLines, formatJson, toolValueView } from '@/components/chat/message/tool-output';

const MARKDOWN = '# Project notes\n\nNotes from the weekly meeting.\n\n- Orders passed **400 a week**\n';

describe('toolValueView', () => {
  it('shows the content of a file that read_file read as text, once, with its line breaks', () => {
    const view = toolValueView({ path: 'notes.md', content: MARKDOWN, bytes: 78, truncated: false });
    expect(view.kind).toBe('text');
    expect(view.body).toBe(MARKDOWN);
    expect(view.body).not.toContain('\\n');
    expect(view.fields).toEqual(['path: notes.md', 'bytes: 78']);
    expect(view.lines).toBe(5);
  });

  it('names a flag that is set beside the text', () => {
    const view = toolValueView({ path: 'big.txt', content: 'a\nb', bytes: 90_000, truncated: true });
    expect(view.fields).toEqual(['path: big.txt', 'bytes: 90000', 'truncated']);
  });

  it('shows the text of a fetched page, and leaves out an empty title', () => {
    const view = toolValueView({
      url: 'https://example.com/',
      status: 200,
      title: '',
      text: 'Line one\nLine two',
      truncated: false,
      contentType: 'text/plain',
    });
    expect(view).toEqual({
      kind: 'text',
      body: 'Line one\nLine two',
      fields: ['url: https://example.com/', 'status: 200', 'contentType: text/plain'],
      lines: 2,
    });
  });

  it('prefers content to text when an object has both', () => {
    expect(toolValueView({ content: 'the file', text: 'other' }).body).toBe('the file');
  });

  it('shows a string as it is', () => {
    expect(toolValueView('## Title\n\nBody')).toEqual({ kind: 'text', body: '## Title\n\nBody', fields: [], lines: 3 });
  });

  it('shows a JSON text in a string as it is (a file is not reformatted)', () => {
    const file = '{"n": 12345678901234567890}';
    expect(toolValueView({ path: 'data.json', content: file }).body).toBe(file);
  });

  it('shows other objects as indented JSON', () => {
    const view = toolValueView({ expression: '17 * 23', result: '391' });
    expect(view.kind).toBe('json');
    expect(view.body).toBe('{\n  "expression": "17 * 23",\n  "result": "391"\n}');
    expect(view.fields).toEqual([]);
    expect(view.lines).toBe(4);
  });

  it('shows an object whose text sits beside a list or a nested object whole, as JSON', () => {
    const listing = { state: 'done', path: '.', entries: [{ name: 'a.md', path: 'a.md', type: 'file', text: 'x' }], truncated: false };
    expect(toolValueView(listing).kind).toBe('json');
    expect(toolValueView({ content: 'a', meta: { size: 1 } })).toMatchObject({
      kind: 'json',
      body: formatJson({ content: 'a', meta: { size: 1 } }),
    });
  });

  it('does not take a field named content that is not a string for the text', () => {
    const mcp = { content: [{ type: 'text', text: 'hello' }] };
    expect(toolValueView(mcp)).toMatchObject({ kind: 'json', body: formatJson(mcp) });
  });

  it('shows arrays, numbers and null as JSON', () => {
    expect(toolValueView([1, 2])).toMatchObject({ kind: 'json', body: '[\n  1,\n  2\n]' });
    expect(toolValueView(42)).toMatchObject({ kind: 'json', body: '42' });
    expect(toolValueView(null)).toMatchObject({ kind: 'json', body: 'null' });
  });
});

describe('formatJson', () => {
  it('is empty for no value and never throws', () => {
    expect(formatJson(undefined)).toBe('');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(formatJson(cycle)).toBe('[object Object]');
    expect(formatJson(10n)).toBe('10');
  });
});

describe('countLines', () => {
  it('counts lines, none for an empty text, and not an empty one after a final line break', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('\n')).toBe(1);
    expect(countLines('one')).toBe(1);
    expect(countLines('one\ntwo\n')).toBe(2);
    expect(countLines('one\n\n')).toBe(2);
  });
});
