// Server-sent events as Maestro's run streams carry them: each frame is `id:` (a run-log position),
// comments (`: at <ms>` when frame times are on) and one `data:` line, a JSON chunk or `[DONE]`.
// Lines end with `\n` and frames with an empty line. Self-contained (no imports) so that plain-Node
// scripts can load this file directly.

/** The data of a run stream's last frame. */
export const DONE_DATA = '[DONE]';

/** The line that ends a run stream, in whatever frame carries it. */
export const DONE_LINE = `data: ${DONE_DATA}`;

/** One event read off the wire; `data` is absent for a frame of comments only (a keep-alive). */
export type SseEvent = { id?: string; data?: string; comments: string[] };

/** The SSE text of one frame: `id:`, then the comments, then `data:` (one line per line of data). */
export function sseFrame(frame: { id?: string; data?: string; comments?: readonly string[] }): string {
  let text = frame.id === undefined ? '' : `id: ${frame.id}\n`;
  for (const comment of frame.comments ?? []) text += `: ${comment}\n`;
  if (frame.data !== undefined) text += `data: ${frame.data.replaceAll('\n', '\ndata: ')}\n`;
  return `${text}\n`;
}

/** The comment sent on a quiet stream, so that proxies keep it open and the client knows it is alive. */
export const KEEP_ALIVE_COMMENT = sseFrame({ comments: ['keep-alive'] });

const FRAME_TIME_PREFIX = 'at ';

/** The comment that says when a frame entered the run log (ms since the epoch). */
export const frameTimeComment = (at: number): string => `${FRAME_TIME_PREFIX}${at}`;

/** When an event's frame entered the run log, from its `: at <ms>` comment; undefined without one. */
export function frameTime(event: SseEvent): number | undefined {
  const comment = event.comments.find((text) => text.startsWith(FRAME_TIME_PREFIX));
  return comment === undefined ? undefined : Number(comment.slice(FRAME_TIME_PREFIX.length));
}

/** One frame's lines (without the empty line that ends it) as an event; undefined for an empty block. */
function parseBlock(block: string): SseEvent | undefined {
  if (block === '') return undefined;
  const event: SseEvent = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      event.comments.push(line.slice(line.startsWith(': ') ? 2 : 1));
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
    else if (field === 'id') event.id = value;
  }
  return event;
}

/**
 * Reads an SSE stream incrementally: `push` takes text as it arrives and returns the events whose
 * frames are now complete; the rest waits in the buffer for the next text.
 */
export class SseParser {
  private buffer = '';

  push(text: string): SseEvent[] {
    return this.pushFrames(text).events;
  }

  /** `push`, also giving the text of the frames it completed, as it arrived (to pass on unchanged). */
  pushFrames(text: string): { events: SseEvent[]; frames: string } {
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let end = this.buffer.indexOf('\n\n'); end !== -1; end = this.buffer.indexOf('\n\n', start)) {
      const event = parseBlock(this.buffer.slice(start, end));
      if (event) events.push(event);
      start = end + 2;
    }
    const frames = this.buffer.slice(0, start);
    if (start > 0) this.buffer = this.buffer.slice(start);
    return { events, frames };
  }

  /** Forgets an incomplete frame (the connection it came on is gone). */
  reset(): void {
    this.buffer = '';
  }
}

/** The events of a whole SSE body; a frame cut off at its end is left out. */
export function parseSseBody(body: string): SseEvent[] {
  return new SseParser().push(body);
}
