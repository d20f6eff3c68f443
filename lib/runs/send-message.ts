import { generateId } from 'ai';
import type { StreamChunk } from '@/lib/chat/status';
import type { ChatMessage } from '@/lib/chat/types';
import { getConfig } from '@/lib/config';
import { HttpError } from '@/lib/http/errors';
import { listModels, ModelNotFoundError, resolveModel } from '@/lib/models/registry';
import { streamTurn } from '@/lib/runs/turn';
import { getStore } from '@/lib/store';

export type NewUserMessage = { id?: string; text: string };

const TITLE_MAX_CHARS = 60;

/** A chat's title: the start of its first message, on one line. */
export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= TITLE_MAX_CHARS ? line : `${line.slice(0, TITLE_MAX_CHARS - 1).trimEnd()}…`;
}

/**
 * Saves the user's message (creating the chat if new) and starts the agent's answer.
 * Sending a message id the chat already has retries from that message: what followed it is dropped.
 */
export async function sendMessage(input: {
  chatId: string;
  message: NewUserMessage;
  modelId: string | undefined;
  signal: AbortSignal;
}): Promise<ReadableStream<StreamChunk>> {
  const config = getConfig();
  const modelId = input.modelId ?? listModels(config).default;
  let resolved: ReturnType<typeof resolveModel>;
  try {
    resolved = resolveModel(modelId, config);
  } catch (error) {
    if (error instanceof ModelNotFoundError) throw new HttpError(400, error.code, error.message);
    throw error;
  }

  const store = await getStore();
  const userMessage: ChatMessage = {
    id: input.message.id ?? generateId(),
    role: 'user',
    parts: [{ type: 'text', text: input.message.text }],
  };
  await store.ensureChat(input.chatId, titleFrom(input.message.text));
  const existing = await store.listMessages(input.chatId);
  const earlier = existing.find((m) => m.id === userMessage.id);
  if (earlier && earlier.role !== 'user') {
    throw new HttpError(400, 'invalid_message_id', 'That message id belongs to an answer, not to a user message.');
  }
  if (earlier) await store.deleteMessagesAfter(input.chatId, userMessage.id);
  await store.saveMessage(input.chatId, userMessage);

  return streamTurn({
    chatId: input.chatId,
    history: await store.listMessages(input.chatId),
    modelId,
    model: resolved.model,
    store,
    maxSteps: config.maxSteps,
    timeoutMs: config.runTimeoutMs,
    signal: input.signal,
  });
}
