import { describe, expect, it } from 'vitest';
import { lineDiff } from '@/lib/chat/line-diff';

const show = (before: string, after: string) =>
  lineDiff(before, after).map((line) => `${line.kind === 'same' ? ' ' : line.kind === 'added' ? '+' : '-'}${line.text}`);

describe('line diff', () => {
  it('keeps common lines and marks what was removed and added, in order', () => {
    expect(show('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([' a', '-b', '+B', ' c', '+d']);
  });

  it('a new file is all added; an emptied one all removed; equal texts are all kept', () => {
    expect(show('', 'one\ntwo')).toEqual(['+one', '+two']);
    expect(show('one\n', '')).toEqual(['-one']);
    expect(show('x\r\ny\n', 'x\ny')).toEqual([' x', ' y']);
  });

  it('gives up on huge files gracefully: all old lines removed, all new added', () => {
    const before = Array.from({ length: 2_000 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: 2_000 }, (_, i) => `new ${i}`).join('\n');
    const diff = lineDiff(before, after);
    expect(diff).toHaveLength(4_000);
    expect(diff[0]).toEqual({ kind: 'removed', text: 'old 0' });
    expect(diff.at(-1)).toEqual({ kind: 'added', text: 'new 1999' });
  });
});
