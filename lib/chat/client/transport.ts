import { DefaultChatTransport, isToolUIPart, type ChatTransport, type UIMessageChunk } from 'ai';
import type { ChatMessage } from '@/lib/chat/types';
import { chatIdOfRoute, chatPath, DONE_DATA, KEEP_ALIVE_HEADER, LAST_EVENT_ID_HEADER, RUN_ID_HEADER, SseParser } from '@/lib/wire';

/** The approval the user just gave in the last answer (`addToolApprovalResponse`), as `POST …/approvals` takes it. */
function answeredApproval(message: ChatMessage | undefined): { approvalId: string; approved: boolean; reason?: string } | undefined {
  if (message?.role !== 'assistant') return undefined;
  for (const part of message.parts) {
    if (isToolUIPart(part) && part.state === 'approval-responded') {
      return {
        approvalId: part.approval.id,
        approved: part.approval.approved,
        ...(part.approval.reason ? { reason: part.approval.reason } : {}),
      };
    }
  }
  return undefined;
}

/** What the transport tells the chat about the runs it connects to. */
export type RunTransportEvents = {
  /** A reattach (`GET …/stream`) answered: `found` is false on 204, when no run was active. */
  onReconnected?: (found: boolean) => void;
  /**
   * A stream went silent (no frame, not even a keep-alive) and the watchdog re-attached to the run
   * after its last frame: `found` is false when the run had ended meanwhile (the stream then closes
   * without its last frames; load the chat as saved).
   */
  onWatchdogReattach?: (found: boolean) => void;
};

/** Re-attaches in a row, without a frame in between, before the stream is given up as lost. */
const MAX_REATTACHES = 3;

/** How long a run stream may stay silent before it is taken for dead: two missed keep-alives and a margin. */
export function silenceLimitMs(keepAliveMs: number): number {
  return 2 * keepAliveMs + Math.min(5_000, keepAliveMs);
}

type WatchOptions = {
  silenceMs: number;
  /** `GET /api/chats/{id}/stream`: where to re-attach. */
  streamUrl: string;
  /** The caller's signal (stop): ends the watched stream and whatever connection it holds. */
  signal: AbortSignal | null | undefined;
  headers: HeadersInit | undefined;
  onReattach: (found: boolean) => void;
};

/**
 * A run stream's body, watched: the server sends keep-alives, so `silenceMs` of nothing means a dead
 * connection, which is dropped and re-attached with `Last-Event-ID` of the last whole frame, so no frame is
 * lost or repeated. Only whole SSE frames are passed on.
 */
function watchedBody(first: Response, firstAttempt: AbortController, options: WatchOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let decoder = new TextDecoder();
  let reader = first.body!.getReader();
  let attempt = firstAttempt;
  const parser = new SseParser();
  let lastId: string | undefined;
  let finished = false;
  let reattaches = 0;

  const onAbort = () => attempt.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  /** The frames that `text` completes, as they came, noting the last `id:` and the end of the run. */
  function takeFrames(text: string): string {
    const { events, frames } = parser.pushFrames(text);
    for (const event of events) {
      if (event.id !== undefined) lastId = event.id.trim();
      if (event.data === DONE_DATA) finished = true;
    }
    return frames;
  }

  function readWithin(ms: number): Promise<ReadableStreamReadResult<Uint8Array> | 'silent'> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silent = new Promise<'silent'>((resolve) => {
      timer = setTimeout(() => resolve('silent'), ms);
    });
    return Promise.race([reader.read(), silent]).finally(() => clearTimeout(timer));
  }

  /** Drops the dead connection and follows the run again after the last whole frame; false when it has ended. */
  async function reattach(): Promise<boolean> {
    attempt.abort(new DOMException('The stream went silent.', 'TimeoutError'));
    void reader.cancel().catch(() => undefined);
    if (options.signal?.aborted) throw options.signal.reason;
    if (++reattaches > MAX_REATTACHES) throw new Error('The connection to the server was lost. Reload the page to see the answer.');
    attempt = new AbortController();
    const headers = new Headers(options.headers);
    headers.delete('content-type');
    if (lastId) headers.set(LAST_EVENT_ID_HEADER, lastId);
    const response = await fetch(options.streamUrl, { method: 'GET', headers, signal: attempt.signal, cache: 'no-store' });
    if (response.status === 204 || !response.body) {
      options.onReattach(false);
      return false;
    }
    if (!response.ok) throw new Error(`The connection to the server was lost (HTTP ${response.status}).`);
    options.onReattach(true);
    reader = response.body.getReader();
    decoder = new TextDecoder();
    parser.reset();
    return true;
  }

  function release() {
    options.signal?.removeEventListener('abort', onAbort);
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const result = await readWithin(options.silenceMs);
          if (result === 'silent') {
            if (finished || !(await reattach())) {
              release();
              controller.close();
              return;
            }
            continue;
          }
          if (result.done) {
            release();
            controller.close();
            return;
          }
          const frames = takeFrames(decoder.decode(result.value, { stream: true }));
          if (frames === '') continue;
          reattaches = 0;
          controller.enqueue(encoder.encode(frames));
          return;
        }
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    async cancel(reason) {
      release();
      attempt.abort(reason);
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

type ReconnectOptions = Parameters<ChatTransport<ChatMessage>['reconnectToStream']>[0];

/**
 * The transport for Maestro's routes: the server keeps the history, so only the newest message is sent (an
 * existing id means "answer it again"), with the model and an edit's parent. A reattach replays the active run.
 */
export class MaestroChatTransport extends DefaultChatTransport<ChatMessage> {
  /** Every run this transport has followed (from the `x-run-id` of its responses, or claimed). */
  private readonly followedRuns = new Set<string>();
  /** The run of the latest response, until `releaseRun`. */
  private currentRun: string | null = null;

  constructor(private readonly events: RunTransportEvents) {
    super({
      prepareSendMessagesRequest: ({ id, messages, body }) => {
        // An answer to a tool call waiting for approval continues that answer.
        const approval = answeredApproval(messages.at(-1));
        if (approval) {
          return {
            api: `${chatPath(id)}/approvals`,
            body: { ...approval, ...(body?.alwaysAllow === true && approval.approved ? { alwaysAllow: true } : {}) },
          };
        }
        const model = typeof body?.model === 'string' ? body.model : undefined;
        const parentId = body?.parentId;
        const last = messages.at(-1);
        return {
          api: `${chatPath(id)}/messages`,
          body: {
            // Only what a message is: a message from a snapshot also carries its place in the tree.
            message: last && { id: last.id, role: last.role, parts: last.parts },
            ...(model ? { model } : {}),
            ...(typeof parentId === 'string' || parentId === null ? { parentId } : {}),
          },
        };
      },
      prepareReconnectToStreamRequest: ({ id }) => ({ api: `${chatPath(id)}/stream` }),
    });
    // Both the POST that starts a run and a reattach name the run they follow. Their streams are
    // watched: a stream that goes silent is re-attached (see `watchedBody`).
    this.fetch = async (input, init) => {
      const attempt = new AbortController();
      const outer = init?.signal;
      if (outer?.aborted) attempt.abort(outer.reason);
      const onAbort = () => attempt.abort(outer?.reason);
      outer?.addEventListener('abort', onAbort, { once: true });
      const response = await fetch(input, { ...init, signal: attempt.signal });
      const runId = response.headers.get(RUN_ID_HEADER);
      if (response.ok && runId) this.noteRun(runId);
      const keepAliveMs = Number(response.headers.get(KEEP_ALIVE_HEADER));
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const chat = chatIdOfRoute(url);
      if (!response.ok || !response.body || chat === undefined || !Number.isFinite(keepAliveMs) || keepAliveMs <= 0) return response;
      const body = watchedBody(response, attempt, {
        silenceMs: silenceLimitMs(keepAliveMs),
        streamUrl: `${chatPath(chat)}/stream`,
        signal: outer,
        headers: init?.headers,
        onReattach: (found) => this.events.onWatchdogReattach?.(found),
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  /** Marks a run as followed, so that it is not attached to a second time. */
  private noteRun(runId: string): void {
    this.followedRuns.add(runId);
    this.currentRun = runId;
  }

  /** Claims a run seen elsewhere for following: false when this transport already follows or followed it. */
  claimRun(runId: string): boolean {
    if (this.followedRuns.has(runId)) return false;
    this.followedRuns.add(runId);
    return true;
  }

  /** Gives up a claimed run (following it failed): it may be claimed again. */
  unclaimRun(runId: string): void {
    this.followedRuns.delete(runId);
  }

  /** The current run's stream ended; `again` lets it be followed anew (its connection broke). */
  releaseRun(again: boolean): void {
    if (again && this.currentRun) this.followedRuns.delete(this.currentRun);
    this.currentRun = null;
  }

  override async reconnectToStream(options: ReconnectOptions): Promise<ReadableStream<UIMessageChunk> | null> {
    const stream = await super.reconnectToStream(options);
    this.events.onReconnected?.(stream !== null);
    return stream;
  }
}

export function createChatTransport(events: RunTransportEvents = {}): MaestroChatTransport {
  return new MaestroChatTransport(events);
}
