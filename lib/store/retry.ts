import { isStoreUnavailable } from '@/lib/store/postgres';

export type RetryWhileUnavailableOptions = { attempts?: number; initialDelayMs?: number };

/**
 * Runs a write that must not be lost (an answer that has streamed, the end of a run), trying again
 * with backoff while the store is briefly unavailable: every pooled connection busy under a burst
 * of runs, or a reconnect. Any other error, or the last attempt's, is thrown.
 */
export async function retryWhileUnavailable<T>(write: () => Promise<T>, options: RetryWhileUnavailableOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const initialDelayMs = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isStoreUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, initialDelayMs * 2 ** (attempt - 1)));
    }
  }
}
