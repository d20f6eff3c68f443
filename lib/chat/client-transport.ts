import { DefaultChatTransport } from 'ai';
import type { ChatMessage } from '@/lib/chat/types';

/** What the client adds to each request through `sendMessage(…, { body })` / `regenerate({ body })`. */
export type ChatRequestBody = { model?: string };

/**
 * The transport for Maestro's routes: the server keeps the history, so only the newest message is
 * sent (a user message whose id already exists means "retry from here"), plus the chosen model.
 */
export function createChatTransport(): DefaultChatTransport<ChatMessage> {
  return new DefaultChatTransport<ChatMessage>({
    prepareSendMessagesRequest: ({ id, messages, body }) => {
      const model = typeof body?.model === 'string' ? body.model : undefined;
      return {
        api: `/api/chats/${encodeURIComponent(id)}/messages`,
        body: { message: messages.at(-1), ...(model ? { model } : {}) },
      };
    },
  });
}
