import { APICallError } from 'ai';
import { isApiErrorCode, type ApiErrorCode } from '@/lib/http/error-codes';

const MASKED = 'Something went wrong while answering. Please try again.';
const MAX_LENGTH = 400;

/** `{ error: { code, message } }`, the body of every non-2xx answer of Maestro's API; a code it does not know is left out. */
function parseApiErrorBody(text: string | undefined): { code?: ApiErrorCode; message: string } | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return undefined;
    const error: unknown = parsed.error;
    if (typeof error !== 'object' || error === null || !('message' in error)) return undefined;
    const message = error.message;
    if (typeof message !== 'string' || message.trim() === '') return undefined;
    const code = 'code' in error && typeof error.code === 'string' && isApiErrorCode(error.code) ? error.code : undefined;
    return { code, message };
  } catch {
    return undefined;
  }
}

/** A non-2xx answer of one of the API's plain JSON routes, with the `code` of its body when it has one. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly code: ApiErrorCode | undefined,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** The error for a non-2xx `response`: the message of its body, or what failed and the HTTP status. */
export async function requestFailure(response: Response, what: string): Promise<ApiRequestError> {
  const parsed = parseApiErrorBody(await response.text().catch(() => ''));
  return new ApiRequestError(parsed?.message ?? `${what} failed (HTTP ${response.status}).`, parsed?.code);
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
 * Whether a send, retry or approval was refused before its run started (nothing of it was kept): the
 * server answered with an error (another run is answering, too long, rate limited…) or was never
 * reached. An error chunk of the answer's own stream is not a refusal: the answer failed.
 */
export function isRefusal(error: Error): boolean {
  return error.name === 'TypeError' || APICallError.isInstance(error);
}

function looksUnsafe(text: string): boolean {
  return text.startsWith('<') || /\n\s+at /.test(text);
}

function clip(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
