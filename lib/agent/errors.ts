import { APICallError, LoadAPIKeyError, RetryError } from 'ai';
import { isConnectionError } from '@/lib/http/network-error';

/**
 * A message about a failed model call that is safe to show: it never carries the provider's
 * request or response body, prompts, keys or stack traces.
 */
export function describeModelError(error: unknown): string {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (LoadAPIKeyError.isInstance(cause)) return 'The model provider has no API key configured on the server.';
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    if (status === 401 || status === 403) return `The model provider refused the API key (HTTP ${status}).`;
    if (status === 429) return 'The model provider is rate limiting requests (HTTP 429). Try again in a moment.';
    if (status !== undefined && status >= 500) return `The model provider had an error (HTTP ${status}). Try again.`;
    if (status !== undefined) return `The model provider rejected the request (HTTP ${status}).`;
    return 'The model provider could not be reached.';
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'The answer took longer than the time limit.';
  }
  if (isConnectionError(cause)) return 'The model provider could not be reached.';
  return 'The model failed to answer.';
}
