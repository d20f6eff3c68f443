import { APICallError } from 'ai';

const MASKED = 'Something went wrong while answering. Please try again.';
const MAX_LENGTH = 400;

/** The message of `{ error: { code, message } }`, the body of every non-2xx answer of Maestro's API. */
export function parseApiErrorBody(text: string | undefined): { message: string } | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return undefined;
    const error: unknown = parsed.error;
    if (typeof error !== 'object' || error === null || !('message' in error)) return undefined;
    const message = error.message;
    if (typeof message !== 'string' || message.trim() === '') return undefined;
    return { message };
  } catch {
    return undefined;
  }
}

/**
 * The text to show for a failed run. A non-2xx answer shows the `message` of its JSON body; an
 * error chunk of the stream shows its (server-masked) text; anything else gets a masked text, so a
 * stack trace or an HTML error page never reaches the chat.
 */
export function describeChatError(error: Error): string {
  if (APICallError.isInstance(error)) {
    const parsed = parseApiErrorBody(error.responseBody ?? error.message);
    if (parsed) return clip(parsed.message);
    return error.statusCode ? `The server answered with an error (HTTP ${error.statusCode}). Please try again.` : MASKED;
  }
  if (error.name === 'TypeError') return 'Could not reach the server. Check your connection and try again.';
  const parsed = parseApiErrorBody(error.message);
  if (parsed) return clip(parsed.message);
  const text = error.message.trim();
  if (text === '' || looksUnsafe(text)) return MASKED;
  return clip(text);
}

/**
 * A send that the server refused (any non-2xx answer: 409 a run is active, 413 too large, 400 too
 * long, 429 rate limited…) or that never reached it (no connection): nothing of it was kept. An
 * error that the answer's own stream carries (the answer failed) is not one.
 */
export function isSendRefusal(error: Error): boolean {
  return APICallError.isInstance(error) || error.name === 'TypeError';
}

function looksUnsafe(text: string): boolean {
  return text.startsWith('<') || /\n\s+at /.test(text);
}

function clip(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
