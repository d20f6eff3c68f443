import { DefaultChatTransport, type ChatTransport, type UIMessageChunk } from 'ai';
import type { ChatMessage } from '@/lib/chat/types';

/** What the client adds to each request through `sendMessage(…, { body })` / `regenerate({ body })`. */
export type ChatRequestBody = { model?: string };

/** What the transport tells the chat about the runs it connects to. */
export type RunTransportEvents = {
  /** A reattach (`GET …/stream`) answered: `found` is false on 204, when no run was active. */
  onReconnected?: (found: boolean) => void;
};

type ReconnectOptions = Parameters<ChatTransport<ChatMessage>['reconnectToStream']>[0];

const chatPath = (id: string) => `/api/chats/${encodeURIComponent(id)}`;

/**
 * The transport for Maestro's routes: the server keeps the history, so only the newest message is
 * sent (a user message whose id already exists means "retry from here"), plus the chosen model.
 * A reattach follows the chat's active run (`GET /api/chats/{id}/stream`), replayed from its start.
 */
export class MaestroChatTransport extends DefaultChatTransport<ChatMessage> {
  /** Every run this transport has followed (from the `x-run-id` of its responses). */
  readonly followedRuns = new Set<string>();
  /** The run of the latest response, until `releaseRun`. */
  currentRun: string | null = null;

  constructor(private readonly events: RunTransportEvents) {
    super({
      prepareSendMessagesRequest: ({ id, messages, body }) => {
        const model = typeof body?.model === 'string' ? body.model : undefined;
        return {
          api: `${chatPath(id)}/messages`,
          body: { message: messages.at(-1), ...(model ? { model } : {}) },
        };
      },
      prepareReconnectToStreamRequest: ({ id }) => ({ api: `${chatPath(id)}/stream` }),
    });
    // Both the POST that starts a run and a reattach name the run they follow.
    this.fetch = async (input, init) => {
      const response = await fetch(input, init);
      const runId = response.headers.get('x-run-id');
      if (response.ok && runId) this.noteRun(runId);
      return response;
    };
  }

  /** Marks a run as followed, so that it is not attached to a second time. */
  noteRun(runId: string): void {
    this.followedRuns.add(runId);
    this.currentRun = runId;
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
