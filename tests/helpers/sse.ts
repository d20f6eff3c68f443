/** One event of a UI message stream, as read off the wire. */
export type SseFrame = { id?: string; data: string };

/** Splits an SSE body into its events (comments dropped). */
export function parseSse(body: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of body.split('\n\n')) {
    const frame: { id?: string; data: string[] } = { data: [] };
    for (const line of block.split('\n')) {
      if (line.startsWith('data: ')) frame.data.push(line.slice(6));
      else if (line.startsWith('id: ')) frame.id = line.slice(4);
    }
    if (frame.data.length > 0) frames.push({ id: frame.id, data: frame.data.join('\n') });
  }
  return frames;
}

export type Chunk = { type: string; [key: string]: unknown };

/** The JSON chunks of a UI message stream, and whether it ended with `[DONE]`. */
export function parseChunks(body: string): { chunks: Chunk[]; done: boolean } {
  const frames = parseSse(body);
  const done = frames.at(-1)?.data === '[DONE]';
  const chunks = frames.filter((f) => f.data !== '[DONE]').map((f) => JSON.parse(f.data) as Chunk);
  return { chunks, done };
}

/** The text of a UI message stream's text deltas; of a body cut off mid-frame, its complete frames only. */
export function textOfStream(body: string): string {
  const end = body.lastIndexOf('\n\n');
  const complete = end === -1 ? '' : body.slice(0, end);
  return parseChunks(complete).chunks.filter((chunk) => chunk.type === 'text-delta').map((chunk) => String(chunk.delta)).join('');
}

/** A short description of each chunk, e.g. `status:thinking`, `tool-input-start:calculator`. */
export function describeChunk(chunk: Chunk): string {
  if (chunk.type === 'data-status') return `status:${(chunk.data as { phase: string }).phase}`;
  if (chunk.type === 'tool-input-start') return `tool-input-start:${String(chunk.toolName)}`;
  return chunk.type;
}
