import { parseMarkdownIntoBlocks } from 'streamdown';
import { createWholeDocumentCheck } from '@/components/chat/markdown/needs-whole-parse';

/** Splits markdown into blocks (one string each, whose concatenation is the markdown). */
export type BlockParser = (markdown: string) => string[];

/**
 * The blocks of one text: `settled` ones, which no text after them can change any more, then the
 * `tail`. `settledText` is the settled blocks' text (the start of `input`).
 */
type Blocks = { input: string; settled: string[]; settledText: string; tail: string[] };

/** The index of the last of `blocks` (but the last two) that ends a paragraph, or -1. */
function lastSettledIndex(blocks: string[]): number {
  for (let index = blocks.length - 3; index >= 0; index -= 1) {
    if (blocks[index]?.endsWith('\n\n')) return index;
  }
  return -1;
}

/** Blocks cut afresh: all before the last block (but the last two) that ends a paragraph are settled. */
function cut(input: string, blocks: string[]): Blocks {
  const count = lastSettledIndex(blocks) + 1;
  const settled = blocks.slice(0, count);
  return { input, settled, settledText: settled.join(''), tail: blocks.slice(count) };
}

/**
 * `parseMarkdownIntoBlocks` made incremental for one growing text, as a full lex per update grows with the answer.
 * Blocks ended by a blank line settle and are kept as the same strings (so memoized blocks skip them); only the
 * rest is split again, giving what a whole split gives. Documents needing a whole parse are never settled.
 */
function createIncrementalBlocks(parse: BlockParser): (markdown: string) => Blocks {
  const isWholeDocument = createWholeDocumentCheck();
  let previous: Blocks | null = null;

  return (markdown) => {
    if (previous?.input === markdown) return previous;
    if (isWholeDocument(markdown)) {
      previous = { input: markdown, settled: [], settledText: '', tail: parse(markdown) };
      return previous;
    }
    const keep = previous !== null && previous.settled.length > 0 && markdown.startsWith(previous.settledText) ? previous : null;
    if (!keep) {
      previous = cut(markdown, parse(markdown));
      return previous;
    }
    const rest = parse(markdown.slice(keep.settledText.length));
    const index = lastSettledIndex(rest);
    if (index >= 0) {
      // More blocks settled: the kept ones grow by them (the array is this parser's own).
      const settling = rest.slice(0, index + 1);
      keep.settled.push(...settling);
      previous = { input: markdown, settled: keep.settled, settledText: keep.settledText + settling.join(''), tail: rest.slice(index + 1) };
    } else if (rest.length >= 2) {
      // The last settled block is still the last one (but the last two) to end a paragraph.
      previous = { input: markdown, settled: keep.settled, settledText: keep.settledText, tail: rest };
    } else {
      // The text after the settled blocks joined into fewer than two: cut the whole list again.
      previous = cut(markdown, keep.settled.concat(rest));
    }
    return previous;
  };
}

/** `createIncrementalBlocks` as a Streamdown `parseMarkdownIntoBlocksFn`: all the blocks, in order. */
export function createBlockParser(parse: BlockParser = parseMarkdownIntoBlocks): BlockParser {
  const blocksOf = createIncrementalBlocks(parse);
  let last: { blocks: Blocks; list: string[] } | null = null;

  return (markdown) => {
    const blocks = blocksOf(markdown);
    if (last?.blocks !== blocks) last = { blocks, list: blocks.settled.concat(blocks.tail) };
    return last.list;
  };
}

/** A text cut in two where its settled blocks end: `settled + tail` is the text. */
export type SettledSplit = { settled: string; tail: string };

/**
 * Cuts one growing text into settled blocks and a live tail, rendered apart so only the tail re-renders per
 * update; text after the cut cannot change blocks before it. `settled` stays the same string until a block settles.
 */
export function createSettledSplitter(parse: BlockParser = parseMarkdownIntoBlocks): (markdown: string) => SettledSplit {
  const blocksOf = createIncrementalBlocks(parse);
  let previous: { blocks: Blocks; split: SettledSplit } | null = null;

  return (markdown) => {
    const blocks = blocksOf(markdown);
    if (previous?.blocks === blocks) return previous.split;
    const { settledText } = blocks;
    const split = { settled: settledText, tail: markdown.slice(settledText.length) };
    previous = { blocks, split };
    return split;
  };
}
