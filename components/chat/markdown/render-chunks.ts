/** About how long a settled chunk grows before the next one starts (a few dozen blocks). */
const CHUNK_CHARS = 2_000;

/**
 * Cuts one growing settled text (see `createSettledSplitter`) into chunks that are rendered apart:
 * text that settles is added to the last chunk until it is about `maxChars` long, then a new chunk
 * starts. So when a block settles, only the last chunk renders again, not every settled block of a
 * long answer. A chunk ends where the settled text ended once, which is where a settled block
 * ended: the blocks of the chunks are the blocks of the settled text. A settled text that does not
 * extend the previous one (the text was replaced) starts over as one chunk.
 */
export function createChunker(maxChars: number = CHUNK_CHARS): (settled: string) => string[] {
  let previous: { settled: string; chunks: string[] } | null = null;

  return (settled) => {
    if (previous?.settled === settled) return previous.chunks;
    let chunks: string[];
    if (previous !== null && settled.startsWith(previous.settled)) {
      const added = settled.slice(previous.settled.length);
      const last = previous.chunks.at(-1);
      if (added === '') chunks = previous.chunks;
      else if (last === undefined || last.length >= maxChars) chunks = [...previous.chunks, added];
      else chunks = [...previous.chunks.slice(0, -1), last + added];
    } else {
      chunks = settled === '' ? [] : [settled];
    }
    previous = { settled, chunks };
    return chunks;
  };
}
