import { getConfig } from '@/lib/config';
import { followBatches, getRunLog, type LogEntry } from '@/lib/runs/log';
import { chunkJson } from '@/lib/runs/log/entry-json';
import { interruptIfAbandoned } from '@/lib/runs/interrupt';
import { sseResponse } from '@/lib/http/sse';
import { DONE_DATA, frameTimeComment, KEEP_ALIVE_COMMENT, RUN_ID_HEADER, sseFrame } from '@/lib/wire';

const encoder = new TextEncoder();

/** How long a follower waits for new frames before it checks that the run still has a producer. */
const IDLE_CHECK_MS = 2_000;

export type RunEventStreamOptions = {
  /** A comment goes out whenever the stream was quiet this long; default config.keepAliveMs. */
  keepAliveMs?: number;
  /** Whether each frame carries `: at <ms>`, when it entered the run log; default config.frameTimes. */
  frameTimes?: boolean;
};

/**
 * The one way to watch a run: its frames as SSE from its start or after `after` (a Last-Event-ID), each with its
 * log position as `id:`, ending with `data: [DONE]`, and a `: keep-alive` every `keepAliveMs` while quiet.
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
  // A follower that finds nothing new in a run that was already over at its previous idle check
  // asked for a position past the run's end (a forged Last-Event-ID): it stops rather than wait
  // forever. Every other follower has had the terminal entry by then.
  let overAtLastCheck = false;
  const batches = followBatches(getRunLog(), runId, after, {
    signal: stop.signal,
    waitMs: IDLE_CHECK_MS,
    onIdle: async () => {
      const over = await interruptIfAbandoned(runId);
      if (over && overAtLastCheck) stop.abort();
      overAtLastCheck = over;
    },
  });
  // One timer per stream (not one per frame): a comment goes out once the stream has been quiet
  // for `keepAliveMs`, checked a few times per period.
  let lastSentAt = performance.now();
  let keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  const stopKeepAlive = () => clearInterval(keepAliveTimer);
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    controller.enqueue(encoder.encode(text));
    lastSentAt = performance.now();
  };
  let pending: Promise<IteratorResult<LogEntry[], void>> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      keepAliveTimer = setInterval(
        () => {
          if (performance.now() - lastSentAt < keepAliveMs) return;
          try {
            send(controller, KEEP_ALIVE_COMMENT);
          } catch {
            stopKeepAlive(); // closed meanwhile
          }
        },
        Math.max(25, Math.floor(keepAliveMs / 4)),
      );
      keepAliveTimer.unref();
    },
    async pull(controller) {
      try {
        pending = batches.next();
        const next = await pending;
        pending = undefined;
        if (next.done) {
          stopKeepAlive();
          controller.close();
          return;
        }
        // The frames that are ready go out in one write.
        let frames = '';
        for (const entry of next.value) {
          const data = entry.kind === 'chunk' ? chunkJson(entry.chunk) : DONE_DATA;
          frames += sseFrame({ id: entry.id, comments: frameTimes ? [frameTimeComment(entry.at)] : undefined, data });
        }
        send(controller, frames);
        if (next.value.at(-1)?.kind === 'end') {
          stopKeepAlive();
          controller.close();
        }
      } catch (error) {
        pending = undefined;
        stopKeepAlive();
        if (stop.signal.aborted) return controller.close();
        console.error(`[maestro] following run ${runId} failed:`, error);
        controller.error(error);
      }
    },
    async cancel() {
      stopKeepAlive();
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      await pending?.catch(() => undefined);
      await batches.return(undefined);
    },
  });
}

/** The SSE response that follows a run (see `runEventStream`), naming the run in its `x-run-id` header. */
export function runStreamResponse(runId: string, request: Request, after?: string): Response {
  return sseResponse(runEventStream(runId, after, request.signal), { [RUN_ID_HEADER]: runId });
}
