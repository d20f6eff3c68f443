import type { ChatSearchResult } from '@/lib/chats/search';
import type { ExportFormat } from '@/lib/chats/export';
import type { ChatSummary } from '@/lib/store/types';
import { requestFailure } from '@/lib/chat/client/errors';
import { chatPath } from '@/lib/wire';

export type { ChatSearchResult, ChatSummary, ExportFormat };

/** The caller's chats, newest first (`GET /api/chats`). */
export async function fetchChats(signal?: AbortSignal): Promise<ChatSummary[]> {
  const response = await fetch('/api/chats', { signal, cache: 'no-store' });
  if (!response.ok) throw await requestFailure(response, 'Loading chats');
  const body = (await response.json()) as { chats?: ChatSummary[] };
  return body.chats ?? [];
}

/** Deletes a chat and its messages (`DELETE /api/chats/{id}`). */
export async function deleteChat(id: string): Promise<void> {
  const response = await fetch(chatPath(id), { method: 'DELETE' });
  if (!response.ok) throw await requestFailure(response, 'Deleting the chat');
}

/** Gives a chat a new title (`PATCH /api/chats/{id}`); the server trims it and answers the chat. */
export async function renameChat(id: string, title: string): Promise<ChatSummary> {
  const response = await fetch(chatPath(id), {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (!response.ok) throw await requestFailure(response, 'Renaming the chat');
  return ((await response.json()) as { chat: ChatSummary }).chat;
}

/** The caller's chats whose title or messages contain every word of `query` (`GET /api/chats?q=`). */
export async function searchChats(query: string, signal?: AbortSignal): Promise<ChatSearchResult[]> {
  const response = await fetch(`/api/chats?q=${encodeURIComponent(query)}`, { signal, cache: 'no-store' });
  if (!response.ok) throw await requestFailure(response, 'Searching');
  const body = (await response.json()) as { chats?: ChatSearchResult[] };
  return body.chats ?? [];
}

/** Where the chat downloads as a file (`GET /api/chats/{id}/export`). */
export function chatExportUrl(id: string, format: ExportFormat): string {
  return `${chatPath(id)}/export?format=${format}`;
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
