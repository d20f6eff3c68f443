import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import { getConfig } from '@/lib/config';
import { HttpError } from '@/lib/http/errors';
import { isLogPosition, KEEP_ALIVE_HEADER, LAST_EVENT_ID_HEADER } from '@/lib/wire';

/** An SSE response in the AI SDK's UI message stream format; `x-keep-alive-ms` lets the client tell a dead stream from a quiet one. */
export function sseResponse(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    headers: { ...UI_MESSAGE_STREAM_HEADERS, [KEEP_ALIVE_HEADER]: String(getConfig().keepAliveMs), ...headers },
  });
}

/** The `Last-Event-ID` a reconnecting client sends (a run-log position), if any; 400 when malformed. */
export function lastEventId(request: Request): string | undefined {
  const value = request.headers.get(LAST_EVENT_ID_HEADER)?.trim();
  if (!value) return undefined;
  if (!isLogPosition(value)) throw new HttpError(400, 'invalid_last_event_id', 'Last-Event-ID is not a position in this stream.');
  return value;
}
