import { APICallError } from 'ai';
import { isApiErrorCode, type ApiErrorCode } from '@/lib/http/error-codes';

const MASKED = 'Something went wrong while answering. Please try again.';
const MAX_LENGTH = 400;

/** `{ error: { code, message } }`, the body of every non-2xx answer of Maestro's API; a code it does not know is left out. */
export function parseApiErrorBody(text: string | undefined): { code?: ApiErrorCode; message: string } | undefined {
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
 * Why a send, retry or approval was refused, as far as the page acts on it: another run is
 * answering, another page answered the approval first, or the request itself was turned down
 * (too long, rate limited, chat gone, server unavailable…) or never reached the server.
 */
export type RefusalReason = 'run-active' | 'approval-answered' | 'turned-down' | 'unreachable';

/**
 * The reason a request was refused before its run started (nothing of it was kept), or undefined
 * for an error that the answer's own stream carries (the answer failed).
 */
export function refusalReasonOf(error: Error): RefusalReason | undefined {
  if (error.name === 'TypeError') return 'unreachable';
  if (!APICallError.isInstance(error)) return undefined;
  const code = parseApiErrorBody(error.responseBody ?? error.message)?.code;
  // An answer without a known code (a proxy's error page) refused the request all the same.
  return code === undefined ? 'turned-down' : refusalReasonOfCode(code);
}

function refusalReasonOfCode(code: ApiErrorCode): RefusalReason {
  switch (code) {
    case 'run_active':
      return 'run-active';
    case 'approval_answered':
      return 'approval-answered';
    case 'body_too_large':
    case 'body_unreadable':
    case 'chat_not_found':
    case 'cross_site':
    case 'empty_message':
    case 'internal_error':
    case 'invalid_approval':
    case 'invalid_body':
    case 'invalid_chat_id':
    case 'invalid_format':
    case 'invalid_json':
    case 'invalid_last_event_id':
    case 'invalid_message_id':
    case 'invalid_parent':
    case 'invalid_path':
    case 'invalid_query':
    case 'message_not_found':
    case 'message_too_long':
    case 'method_not_allowed':
    case 'model_unavailable':
    case 'no_identity':
    case 'parent_not_found':
    case 'rate_limited':
    case 'service_unavailable':
    case 'unknown_model':
    case 'unsupported_media_type':
      return 'turned-down';
    default: {
      const unknownCode: never = code;
      return unknownCode;
    }
  }
}

function looksUnsafe(text: string): boolean {
  return text.startsWith('<') || /\n\s+at /.test(text);
}

function clip(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
