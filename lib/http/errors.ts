import type { ApiErrorCode } from '@/lib/http/error-codes';
import { errorCodeOf, isNetworkError } from '@/lib/http/network-error';

/** An error that maps to an HTTP answer `{ error: { code, message } }`; its message is safe to show. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorResponse(status: number, code: ApiErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/**
 * The errors that `isStoreUnavailable` (lib/store) and `isRunLogUnavailable` (lib/runs/log) stand
 * for, recognised by name here so that this module (imported by the proxy) loads neither `pg` nor
 * `ioredis`; plus the raw socket failures of a database that is not there.
 */
const UNAVAILABLE_ERROR_NAMES = new Set(['StoreUnavailableError', 'RunLogUnavailableError']);

/** True when `error` (or what caused it) means Postgres or Redis cannot be reached right now. */
export function isServiceUnavailable(error: unknown): boolean {
  return isNetworkError(
    error,
    (inner) => (inner instanceof Error && UNAVAILABLE_ERROR_NAMES.has(inner.name)) || errorCodeOf(inner) === 'RUN_LOG_UNAVAILABLE',
  );
}

const SERVICE_UNAVAILABLE_MESSAGE =
  'The service is temporarily unavailable (its database or run log cannot be reached). Try again in a moment.';

/** Turns any thrown value into a JSON error answer; unexpected errors are logged and masked. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message, error.headers);
  if (isServiceUnavailable(error)) {
    console.error('[maestro] a backing service is unavailable:', error instanceof Error ? error.message : error);
    return errorResponse(503, 'service_unavailable', SERVICE_UNAVAILABLE_MESSAGE, { 'retry-after': '5' });
  }
  console.error('[maestro] unexpected error', error);
  return errorResponse(500, 'internal_error', 'Something went wrong on the server.');
}

/** Wraps a route handler so that nothing it throws reaches the client as a stack trace. */
export function handleErrors<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
