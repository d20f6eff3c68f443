import { after } from 'next/server';

/**
 * Runs `work` on after the response that started it has been sent (serverless platforms would
 * otherwise freeze the function). Outside a Next.js request (tests, scripts) the promise simply
 * runs on in this process.
 */
export function runAfterResponse(work: Promise<unknown>): void {
  try {
    after(() => work);
  } catch {
    // Not inside a request scope: nothing to extend.
  }
}
