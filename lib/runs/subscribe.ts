import { getConfig } from '@/lib/config';
import { followBatches, getRunLog, type LogEntry } from '@/lib/runs/log';
import { interruptIfAbandoned } from '@/lib/runs/interrupt';

const encoder = new TextEncoder();

/** How long a follower waits for new frames before it checks that the run still has a producer. */
const IDLE_CHECK_MS = 2_000;

/** The SSE comment sent on a quiet stream, so that proxies keep it open and the client knows it is alive. */
export const KEEP_ALIVE_COMMENT = ': keep-alive\n\n';

export type RunEventStreamOptions = {
  /** A comment goes out whenever the stream was quiet this long; default config.keepAliveMs. */
  keepAliveMs?: number;
  /** Whether each frame carries `: at <ms>`, when it entered the run log; default config.frameTimes. */
  frameTimes?: boolean;
};

/**
 * A run's frames as SSE, from its start or after `after` (a Last-Event-ID): each frame carries
 * `id:` (its position in the run log) and the stream ends with `data: [DONE]` when the run ends.
 * While nothing happens (a slow model, a long tool call) a `: keep-alive` comment goes out every
 * `keepAliveMs`. This is the one way to watch a run: the request that started it, a reload and
 * another tab alike.
 */
export function runEventStream(
  runId: string,
  after: string | undefined,
  signal: AbortSignal,
  options: RunEventStreamOptions = {},
): ReadableStream<Uint8Array> {
  const config = getConfig();
  const keepAliveMs = options.keepAliveMs ?? config.keepAliveMs;
  const frameTimes = options.frameTimes ?? config.frameTimes;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const batches = followBatches(getRunLog(), runId, after, {
    signal: stop.signal,
    waitMs: IDLE_CHECK_MS,
    onIdle: () => interruptIfAbandoned(runId),
  });
  // A read still waiting when the keep-alive went out: the next pull waits on it again.
  let pending: Promise<IteratorResult<LogEntry[], void>> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        pending ??= batches.next();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const quiet = new Promise<'quiet'>((resolve) => {
          timer = setTimeout(() => resolve('quiet'), keepAliveMs);
        });
        const next = await Promise.race([pending, quiet]).finally(() => clearTimeout(timer));
        if (next === 'quiet') {
          controller.enqueue(encoder.encode(KEEP_ALIVE_COMMENT));
          return;
        }
        pending = undefined;
        if (next.done) {
          controller.close();
          return;
        }
        // The frames that are ready go out in one write.
        let frames = '';
        for (const entry of next.value) {
          const data = entry.kind === 'chunk' ? JSON.stringify(entry.chunk) : '[DONE]';
          const time = frameTimes ? `: at ${entry.at}\n` : '';
          frames += `id: ${entry.id}\n${time}data: ${data}\n\n`;
        }
        controller.enqueue(encoder.encode(frames));
        if (next.value.at(-1)?.kind === 'end') controller.close();
      } catch (error) {
        pending = undefined;
        if (stop.signal.aborted) return controller.close();
        console.error(`[maestro] following run ${runId} failed:`, error);
        controller.error(error);
      }
    },
    async cancel() {
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      await pending?.catch(() => undefined);
      await batches.return(undefined);
    },
  });
}
