import { describe, expect, it } from 'vitest';
import { createWholeDocumentCheck } from '@/components/chat/markdown/needs-whole-parse';

/** What one check says of each update of a text, given in order (each extends or replaces the one before). */
function answersTo(updates: string[]): boolean[] {
  const check = createWholeDocumentCheck();
  return updates.map((update) => check(update));
}

/** The rules as regular expressions on the whole text: what the incremental check must agree with. */
const WHOLE_DOCUMENT = [/\[\^[\w-]{1,200}\]/, /^ {0,3}\[[^\]]+\]:/m];
const isWholeDocument = (markdown: string) => markdown.includes('\r') || WHOLE_DOCUMENT.some((pattern) => pattern.test(markdown));

/** A small deterministic random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters that make or break the rules, and a few that do not matter. */
const ALPHABET = ['[', ']', '^', ':', ' ', ' ', '\n', 'a', 'b', '-', '_', '.', '\r', '\u2028', 'é'];

function randomText(next: () => number, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) {
    const char = ALPHABET[Math.floor(next() * ALPHABET.length)] ?? 'a';
    // Carriage returns match at once: keep them rare so the other rules get exercised.
    text += char === '\r' && next() < 0.9 ? 'a' : char;
  }
  return text;
}

describe('createWholeDocumentCheck', () => {
  it('agrees with the regular expressions on every prefix of random texts, read as they grow', () => {
    const next = random(42);
    for (let round = 0; round < 400; round += 1) {
      const text = randomText(next, 60);
      const check = createWholeDocumentCheck();
      let end = 0;
      while (end < text.length) {
        end = Math.min(text.length, end + 1 + Math.floor(next() * 5));
        const prefix = text.slice(0, end);
        expect(check(prefix), JSON.stringify(prefix)).toBe(isWholeDocument(prefix));
      }
    }
  });

  it('finds footnotes and link definitions, and not links or brackets that are neither', () => {
    const cases: [string, boolean][] = [
      ['A claim[^1].\n\nMore.', true],
      ['[^note]: the source', true],
      ['See [the docs][docs].\n\n[docs]: https://example.com', true],
      ['   [docs]: https://example.com', true],
      ['    [docs]: indented four spaces is code', false],
      ['[docs] : a space before the colon', false],
      ['[]: empty label', false],
      ['A [link](https://example.com) and [^] and [^ x]', false],
      [`[^${'a'.repeat(200)}]`, true],
      [`[^${'a'.repeat(201)}]`, false],
      ['line one\r\nline two', true],
      ['text [label\nacross lines]: url', false],
      ['text\n[label\nacross lines]: url', true],
    ];
    for (const [text, whole] of cases) expect(createWholeDocumentCheck()(text), JSON.stringify(text)).toBe(whole);
  });

  it('starts again when the text is replaced rather than extended', () => {
    expect(answersTo(['[a]: b', 'plain text', 'plain text, then [^1]', 'plain text, then [^1] and more', 'other text'])).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it('finds a rule whose characters arrive in different updates', () => {
    expect(answersTo(['intro\n[lab', 'intro\n[label, still open', 'intro\n[label, still open]', 'intro\n[label, still open]:'])).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(answersTo(['a claim[', 'a claim[^', 'a claim[^source', 'a claim[^source]'])).toEqual([false, false, false, true]);
  });
});
