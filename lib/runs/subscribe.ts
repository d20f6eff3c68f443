import { follow, getRunLog } from '@/lib/runs/log';
import { interruptIfAbandoned } from '@/lib/runs/interrupt';

const encoder = new TextEncoder();

/** How long a follower waits for new frames before it checks that the run still has a producer. */
const IDLE_CHECK_MS = 2_000;

/**
 * A run's frames as SSE, from its start or after `after` (a Last-Event-ID): each frame carries
 * `id:` (its position in the run log) and the stream ends with `data: [DONE]` when the run ends.
 * This is the one way to watch a run: the request that started it, a reload and another tab alike.
 */
export function runEventStream(runId: string, after: string | undefined, signal: AbortSignal): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const entries = follow(getRunLog(), runId, after, {
    signal: stop.signal,
    waitMs: IDLE_CHECK_MS,
    onIdle: () => interruptIfAbandoned(runId),
  });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await entries.next();
        if (next.done) {
          controller.close();
          return;
        }
        const entry = next.value;
        const data = entry.kind === 'chunk' ? JSON.stringify(entry.chunk) : '[DONE]';
        controller.enqueue(encoder.encode(`id: ${entry.id}\ndata: ${data}\n\n`));
        if (entry.kind === 'end') controller.close();
      } catch (error) {
        if (stop.signal.aborted) return controller.close();
        console.error(`[maestro] following run ${runId} failed:`, error);
        controller.error(error);
      }
    },
    async cancel() {
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      await entries.return(undefined);
    },
  });
}
