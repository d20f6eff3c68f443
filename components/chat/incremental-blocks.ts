import { parseMarkdownIntoBlocks } from 'streamdown';

/** Splits markdown into blocks (one string each, whose concatenation is the markdown). */
export type BlockParser = (markdown: string) => string[];

/**
 * Markdown whose blocks depend on text anywhere in it: footnotes and link reference definitions
 * (`[id]: url`, used before or after). Streamdown renders such a document as one block; so do we,
 * parsing it whole every time.
 */
const WHOLE_DOCUMENT = [/\[\^[\w-]{1,200}\]/, /^ {0,3}\[[^\]]+\]:/m];

/** Whether this markdown must be split whole every time (carriage returns, or blocks that refer to each other). */
function isWholeDocument(markdown: string): boolean {
  return markdown.includes('\r') || WHOLE_DOCUMENT.some((pattern) => pattern.test(markdown));
}

/** How many of `blocks` are settled: all before the last block (but the last two) that ends a paragraph. */
function settledCount(blocks: string[]): number {
  for (let index = blocks.length - 3; index >= 0; index -= 1) {
    if (blocks[index]?.endsWith('\n\n')) return index + 1;
  }
  return 0;
}

/**
 * Streamdown's block splitting (`parseMarkdownIntoBlocks`), made incremental for one growing text.
 *
 * While an answer streams, Streamdown splits the whole answer into blocks on every update: a full
 * markdown lex, whose cost grows with the answer's length. Its own cache only helps when the new
 * text extends the previous one, which the streaming repairs (closing an open code fence or `**`
 * at the end) often prevent. Here the blocks before the last ones that end with a blank line are
 * settled: when the next text starts with them, they are kept as they are (the same strings, so
 * Streamdown's memoized blocks skip them at once) and only the text after them is split again.
 * Otherwise (the text was replaced), it is split whole. The result is what splitting the whole
 * text gives: blocks are only ever cut where a blank line ends one, and a settled block is never
 * followed by text that could still change it.
 */
export function createBlockParser(parse: BlockParser = parseMarkdownIntoBlocks): BlockParser {
  let previous: { input: string; blocks: string[]; settled: number; settledText: string } | null = null;

  return (markdown) => {
    if (previous?.input === markdown) return previous.blocks;
    if (isWholeDocument(markdown)) {
      previous = null;
      return parse(markdown);
    }
    const keep = previous !== null && markdown.startsWith(previous.settledText) ? previous : null;
    const kept = keep ? keep.blocks.slice(0, keep.settled) : [];
    const blocks = kept.concat(parse(markdown.slice(keep ? keep.settledText.length : 0)));
    const settled = settledCount(blocks);
    // The settled text grows by whole blocks: reuse what was settled before, add the new ones.
    const settledText =
      keep && settled >= keep.settled
        ? keep.settledText + blocks.slice(keep.settled, settled).join('')
        : blocks.slice(0, settled).join('');
    previous = { input: markdown, blocks, settled, settledText };
    return blocks;
  };
}

/** A text cut in two where its settled blocks end: `settled + tail` is the text. */
export type SettledSplit = { settled: string; tail: string };

/**
 * Cuts one growing text into its settled blocks and its live tail, so that they can be rendered
 * apart: the settled part changes only when a block settles (every second or so), the tail on
 * every update. The cut is where the settled blocks of the block parser end (see `createBlockParser`):
 * text after it can never change the blocks before it, so the blocks of the settled part followed
 * by the blocks of the tail are the blocks of the whole text. Documents that must be split whole
 * (footnotes, link definitions) are all tail.
 */
export function createSettledSplitter(parse: BlockParser = createBlockParser()): (markdown: string) => SettledSplit {
  let previous: { input: string; split: SettledSplit } | null = null;

  return (markdown) => {
    if (previous?.input === markdown) return previous.split;
    let length = 0;
    if (!isWholeDocument(markdown)) {
      const blocks = parse(markdown);
      const settled = settledCount(blocks);
      for (let index = 0; index < settled; index += 1) length += blocks[index]?.length ?? 0;
    }
    const split = { settled: markdown.slice(0, length), tail: markdown.slice(length) };
    previous = { input: markdown, split };
    return split;
  };
}
