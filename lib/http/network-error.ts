/** Node socket error codes for "the other end is not there (any more)": refused, reset, unreachable, timed out, DNS. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when `error` or anything in its cause chain (each error of an AggregateError too: `localhost`
 * is both ::1 and 127.0.0.1) is a socket failure. `alsoCounts` adds what a caller's own layer
 * reports for the same thing (a driver's codes, a wrapper error). Imports nothing, so the proxy can load it.
 */
export function isNetworkError(error: unknown, alsoCounts?: (error: object) => boolean, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (NETWORK_ERROR_CODES.has(errorCodeOf(error) ?? '') || alsoCounts?.(error)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isNetworkError(inner, alsoCounts, depth + 1))) return true;
  return 'cause' in error && isNetworkError(error.cause, alsoCounts, depth + 1);
}

/** The string `code` of an error (Node's `ECONNREFUSED`, a SQLSTATE…), if it has one. */
export function errorCodeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * undici's codes for a connection that failed or broke: fetch throws "fetch failed" (or
 * "terminated", mid-body) with one of these, or a Node socket code, as its cause.
 */
const UNDICI_CONNECTION_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** A `fetch` that failed on the network (refused, reset, DNS, a broken body…), anywhere in the cause chain. */
export function isConnectionError(error: unknown): boolean {
  return isNetworkError(error, (inner) => UNDICI_CONNECTION_CODES.has(errorCodeOf(inner) ?? ''));
}
