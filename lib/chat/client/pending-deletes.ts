import { deleteChat, notifyChatsChanged, type ChatSummary } from '@/lib/chat/client/chats';
import { ApiRequestError } from '@/lib/chat/client/errors';

/**
 * Deleting with Undo: a chat is hidden at once and deleted UNDO_DELETE_MS later. The wait lives in this module,
 * not a component, so it survives navigation; a closed or reloaded page never sends the delete.
 */

export const UNDO_DELETE_MS = 5_000;

export type PendingDeletes = {
  /** Chats waiting to be deleted, oldest first. */
  chats: readonly ChatSummary[];
  /** Why the last delete failed (the chat is back in the list), until the next delete or dismissal. */
  failure: string | null;
};

const NOTHING_PENDING: PendingDeletes = { chats: [], failure: null };

let state = NOTHING_PENDING;
const timers = new Map<string, ReturnType<typeof setTimeout>>();
const listeners = new Set<() => void>();

function update(next: PendingDeletes): void {
  state = next;
  for (const listener of listeners) listener();
}

function without(id: string): readonly ChatSummary[] {
  return state.chats.filter((chat) => chat.id !== id);
}

async function deleteNow(chat: ChatSummary): Promise<void> {
  timers.delete(chat.id);
  let failure: string | null = null;
  try {
    await deleteChat(chat.id);
  } catch (error) {
    // A chat that another page deleted first is gone, as asked.
    const alreadyGone = error instanceof ApiRequestError && error.code === 'chat_not_found';
    if (!alreadyGone) failure = `“${chat.title}” was not deleted: ${error instanceof Error ? error.message : 'the request failed.'}`;
  }
  update({ chats: without(chat.id), failure: failure ?? state.failure });
  notifyChatsChanged();
}

/** Hides the chat now and deletes it after UNDO_DELETE_MS, unless `undoDelete` is called first. */
export function deleteWithUndo(chat: ChatSummary): void {
  if (timers.has(chat.id)) return;
  timers.set(
    chat.id,
    setTimeout(() => void deleteNow(chat), UNDO_DELETE_MS),
  );
  update({ chats: [...state.chats, chat], failure: null });
}

/** Keeps a chat that is waiting to be deleted. */
export function undoDelete(id: string): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  update({ ...state, chats: without(id) });
}

export function dismissDeleteFailure(): void {
  update({ ...state, failure: null });
}

export function pendingDeletes(): PendingDeletes {
  return state;
}

/** What a server render sees: nothing pending. */
export function noPendingDeletes(): PendingDeletes {
  return NOTHING_PENDING;
}

export function onPendingDeletesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
