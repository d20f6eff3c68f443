import { DONE_DATA, parseSseBody } from '@/lib/wire';

/** One event of a UI message stream, as read off the wire. */
export type SseFrame = { id?: string; data: string };

/** The data frames of an SSE body: comments (keep-alives) and a frame cut off at the end are left out. */
export function parseSse(body: string): SseFrame[] {
  return parseSseBody(body).flatMap(({ id, data }) => (data === undefined ? [] : [{ id, data }]));
}

export type Chunk = { type: string; [key: string]: unknown };

/** The JSON chunks of a UI message stream, and whether it ended with `[DONE]`. */
export function parseChunks(body: string): { chunks: Chunk[]; done: boolean } {
  const frames = parseSse(body);
  const done = frames.at(-1)?.data === DONE_DATA;
  const chunks = frames.filter((f) => f.data !== DONE_DATA).map((f) => JSON.parse(f.data) as Chunk);
  return { chunks, done };
}

/** The text of a UI message stream's text deltas; of a body cut off mid-frame, its complete frames only. */
export function textOfStream(body: string): string {
  return textOfChunks(parseChunks(body).chunks);
}

/** The text that the text deltas among `chunks` add up to. */
export function textOfChunks(chunks: ReadonlyArray<{ type: string; delta?: unknown }>): string {
  return chunks
    .filter((chunk) => chunk.type === 'text-delta')
    .map((chunk) => String(chunk.delta))
    .join('');
}

/** A short description of each chunk, e.g. `status:thinking`, `tool-input-start:calculator`. */
export function describeChunk(chunk: Chunk): string {
  if (chunk.type === 'data-status') return `status:${(chunk.data as { phase: string }).phase}`;
  if (chunk.type === 'tool-input-start') return `tool-input-start:${String(chunk.toolName)}`;
  return chunk.type;
}
