import { describe, expect, it } from 'vitest';
import { snippetOf } from '@/lib/chats/search';

const long = `${'Intro words come first here. '.repeat(8)}Then the needle appears, followed by ${'more filler text after it. '.repeat(8)}`;

describe('snippetOf', () => {
  it('keeps a short text whole, on one line, without Markdown marks', () => {
    expect(snippetOf('## Result\n\n- **391** is `17 * 23`\n\n| a | b |', ['391'])).toBe('Result 391 is 17 * 23 a b');
  });

  it('drops emphasis marks but keeps asterisks that are arithmetic', () => {
    expect(snippetOf('Try *"sqrt(144)"* or **bold**, _not_ 2*3 = 6.', ['try'])).toBe('Try "sqrt(144)" or bold, _not_ 2*3 = 6.');
  });

  it('cuts a long text around the first match, at spaces, with an ellipsis where it was cut', () => {
    const snippet = snippetOf(long, ['needle']);
    expect(snippet).toMatch(/^…\S/);
    expect(snippet).toMatch(/\S…$/);
    expect(snippet).toContain('Then the needle appears');
    expect(snippet.length).toBeLessThanOrEqual(162);
    const before = snippet.slice(1, snippet.indexOf('needle'));
    expect(before.length).toBeGreaterThan(20);
    expect(before.length).toBeLessThanOrEqual(40);
    // Whole words only.
    for (const word of snippet.replace(/…/g, '').split(' ')) expect(long).toMatch(new RegExp(`(^| )${word.replace(/[.*]/g, '\\$&')}( |$)`));
  });

  it('finds the match ignoring case', () => {
    expect(snippetOf(long.replace('needle', 'NeEdLe'), ['needle'])).toContain('Then the NeEdLe appears');
  });

  it('starts at the beginning when the match is near it', () => {
    const snippet = snippetOf(`The needle comes early. ${'filler words go on and on. '.repeat(10)}`, ['needle']);
    expect(snippet.startsWith('The needle comes early.')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('ends at the end of the text when the match is near it', () => {
    const snippet = snippetOf(`${'filler words go on and on. '.repeat(10)}and last comes the needle.`, ['needle']);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('and last comes the needle.')).toBe(true);
  });

  it('keeps the Markdown marks when the term contains them', () => {
    expect(snippetOf(`${'x '.repeat(100)}= **14**`, ['**14**'])).toMatch(/= \*\*14\*\*$/);
  });
});
