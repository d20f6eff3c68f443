/** About how long a settled chunk grows before the next one starts (a few dozen blocks). */
const CHUNK_CHARS = 2_000;

/**
 * Cuts the growing settled text into chunks of about `maxChars`, rendered apart, so a block settling re-renders
 * only the last chunk. Chunks end where a settled block ended; replaced text starts over as one chunk.
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
