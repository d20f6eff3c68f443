import type { ChatSummary } from '@/lib/store/types';
import { parseApiErrorBody } from '@/lib/chat/client-errors';

export type { ChatSummary };

async function failure(response: Response, what: string): Promise<Error> {
  const parsed = parseApiErrorBody(await response.text().catch(() => ''));
  return new Error(parsed?.message ?? `${what} failed (HTTP ${response.status}).`);
}

/** The caller's chats, newest first (`GET /api/chats`). */
export async function fetchChats(signal?: AbortSignal): Promise<ChatSummary[]> {
  const response = await fetch('/api/chats', { signal, cache: 'no-store' });
  if (!response.ok) throw await failure(response, 'Loading chats');
  const body = (await response.json()) as { chats?: ChatSummary[] };
  return body.chats ?? [];
}

/** Deletes a chat and its messages (`DELETE /api/chats/{id}`). */
export async function deleteChat(id: string): Promise<void> {
  const response = await fetch(`/api/chats/${encodeURIComponent(id)}`, { method: 'DELETE' });
  if (!response.ok) throw await failure(response, 'Deleting the chat');
}

const listeners = new Set<() => void>();

/** Tells the chat list that chats changed (a run finished, a chat was created or deleted). */
export function notifyChatsChanged(): void {
  for (const listener of listeners) listener();
}

export function onChatsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
