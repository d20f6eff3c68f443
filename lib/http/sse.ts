import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import { getConfig } from '@/lib/config';
import { HttpError } from '@/lib/http/errors';

/** Tells the client how often a quiet stream sends a keep-alive, so it can tell a dead stream from a quiet one. */
export const KEEP_ALIVE_HEADER = 'x-keep-alive-ms';

/** An SSE response in the AI SDK's UI message stream format. */
export function sseResponse(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    headers: { ...UI_MESSAGE_STREAM_HEADERS, [KEEP_ALIVE_HEADER]: String(getConfig().keepAliveMs), ...headers },
  });
}

/** The `Last-Event-ID` a reconnecting client sends (a run-log position), if any; 400 when malformed. */
export function lastEventId(request: Request): string | undefined {
  const value = request.headers.get('last-event-id')?.trim();
  if (!value) return undefined;
  if (!/^\d{1,20}(-\d{1,20})?$/.test(value)) throw new HttpError(400, 'invalid_last_event_id', 'Last-Event-ID is not a position in this stream.');
  return value;
}
