import { parseMarkdownIntoBlocks } from 'streamdown';
import { describe, expect, it } from 'vitest';
import { createBlockParser, createSettledSplitter } from '@/components/chat/markdown/incremental-blocks';
import { createChunker } from '@/components/chat/markdown/render-chunks';
import { guideAnswer } from '@/lib/models/offline/guide';
import { stretchTo } from '@/lib/models/offline/length';

/** The text as it streams, one word at a time (the offline model's text deltas). */
function* prefixes(text: string): Generator<string> {
  const words = text.match(/\s*\S+/g) ?? [];
  let sofar = '';
  for (const word of words) {
    sofar += word;
    yield sofar;
  }
}

/** What Streamdown's streaming repair appends at the end of unfinished text (closing fences, bold). */
function repaired(text: string): string {
  const fences = (text.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) return `${text}\n\`\`\``;
  if ((text.match(/\*\*/g) ?? []).length % 2 === 1) return `${text}**`;
  return text;
}

describe('createBlockParser', () => {
  const answer = stretchTo(guideAnswer('Explain how Maestro streams answers.'), 1_500);

  it('gives, at every step of a streamed answer, the blocks of the whole text', () => {
    const parse = createBlockParser();
    for (const text of prefixes(answer)) {
      const input = repaired(text);
      expect(parse(input)).toEqual(parseMarkdownIntoBlocks(input));
    }
  });

  it('keeps the settled blocks as they were (the same strings), and re-splits only the tail', () => {
    const calls: number[] = [];
    const parse = createBlockParser((markdown) => {
      calls.push(markdown.length);
      return parseMarkdownIntoBlocks(markdown);
    });
    let before: string[] = [];
    for (const text of prefixes(answer)) {
      const blocks = parse(text);
      const kept = blocks.filter((block, index) => before[index] === block).length;
      expect(kept).toBeGreaterThanOrEqual(Math.max(0, before.length - 3));
      before = blocks;
    }
    // Late in the answer, one update splits a little text, not the whole answer.
    expect(Math.max(...calls.slice(-100))).toBeLessThan(answer.length / 4);
    expect(before.join('')).toBe(answer);
  });

  it('starts again when the text is replaced, not extended', () => {
    const parse = createBlockParser();
    parse('# One\n\nfirst paragraph\n\nsecond paragraph\n\nthird');
    const other = '# Two\n\n- a list\n- of items\n\nafter';
    expect(parse(other)).toEqual(parseMarkdownIntoBlocks(other));
  });

  it('parses documents with footnotes or link definitions whole, as Streamdown does', () => {
    const parse = createBlockParser();
    for (const text of [
      'See [the docs][docs].\n\nMore text.\n\n[docs]: https://example.com',
      'A claim[^1].\n\nMore.\n\n[^1]: The source.',
    ]) {
      expect(parse(text)).toEqual(parseMarkdownIntoBlocks(text));
    }
  });
});

describe('createSettledSplitter', () => {
  const answer = stretchTo(guideAnswer('Explain how Maestro streams answers.'), 1_500);

  it('cuts every step of a streamed answer where the blocks of both parts are the blocks of the whole', () => {
    const split = createSettledSplitter();
    let before = '';
    for (const text of prefixes(answer)) {
      const { settled, tail } = split(text);
      expect(settled + tail).toBe(text);
      // The settled part needs no repair, and only ever grows.
      expect(repaired(settled)).toBe(settled);
      expect(settled.startsWith(before)).toBe(true);
      before = settled;
      // Rendered apart (the tail repaired as unfinished), they give the blocks of the whole text.
      const apart = parseMarkdownIntoBlocks(settled).concat(parseMarkdownIntoBlocks(repaired(tail)));
      expect(apart).toEqual(parseMarkdownIntoBlocks(repaired(text)));
    }
  });

  it('keeps the tail short: late in a long answer an update re-renders a few blocks, not the answer', () => {
    const split = createSettledSplitter();
    const tails: number[] = [];
    for (const text of prefixes(answer)) tails.push(split(text).tail.length);
    expect(Math.max(...tails.slice(-300))).toBeLessThan(answer.length / 10);
    expect(split(answer).settled.length).toBeGreaterThan(answer.length / 2);
  });

  it('gives the same cut for the same text, and starts again when the text is replaced', () => {
    const split = createSettledSplitter();
    const text = '# One\n\nfirst paragraph\n\nsecond paragraph\n\nthird paragraph\n\nfourth';
    // All blocks but the last two are settled (the last one may still grow, the one before may still join it).
    expect(split(text)).toEqual({ settled: '# One\n\nfirst paragraph\n\nsecond paragraph\n\n', tail: 'third paragraph\n\nfourth' });
    expect(split(text)).toBe(split(text));
    const other = '- a list\n- of items\n\nafter';
    expect(split(other)).toEqual({ settled: '', tail: other });
  });

  it('keeps documents with footnotes or link definitions whole: all tail', () => {
    const split = createSettledSplitter();
    for (const text of [
      'See [the docs][docs].\n\nMore.\n\nText.\n\nEnd.\n\n[docs]: https://example.com',
      'A claim[^1].\n\nMore.\n\nText.\n\n[^1]: The source.',
    ]) {
      expect(split(text)).toEqual({ settled: '', tail: text });
    }
  });
});

describe('createChunker', () => {
  const answer = stretchTo(guideAnswer('Explain how Maestro streams answers.'), 1_500);

  it('cuts the settled text of a streamed answer into chunks whose blocks are its blocks; earlier chunks never change', () => {
    const split = createSettledSplitter();
    const chunk = createChunker(400);
    let before: string[] = [];
    for (const text of prefixes(answer)) {
      const { settled } = split(text);
      const chunks = chunk(settled);
      expect(chunks.join('')).toBe(settled);
      // All chunks but the last are kept as they were: the same strings, so their parts skip the update.
      for (let index = 0; index < before.length - 1; index += 1) expect(chunks[index]).toBe(before[index]);
      before = chunks;
    }
    expect(before.length).toBeGreaterThan(5);
    expect(before.flatMap((piece) => parseMarkdownIntoBlocks(piece))).toEqual(parseMarkdownIntoBlocks(split(answer).settled));
    // Only the last chunk grows past the size: the others stopped growing once they reached it.
    for (const piece of before.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(400);
  });

  it('gives the same chunks for the same text, and starts over when the text is replaced', () => {
    const chunk = createChunker(10);
    expect(chunk('')).toEqual([]);
    const first = chunk('# One\n\n');
    expect(chunk('# One\n\n')).toBe(first);
    expect(chunk('# One\n\npara one\n\n')).toEqual(['# One\n\npara one\n\n']);
    expect(chunk('# One\n\npara one\n\npara two\n\n')).toEqual(['# One\n\npara one\n\n', 'para two\n\n']);
    expect(chunk('# Other\n\n')).toEqual(['# Other\n\n']);
  });
});
