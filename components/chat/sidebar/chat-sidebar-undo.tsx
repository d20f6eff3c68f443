'use client';

import { useEffect, useRef, useSyncExternalStore } from 'react';
import {
  dismissDeleteFailure,
  noPendingDeletes,
  onPendingDeletesChanged,
  pendingDeletes,
  undoDelete,
} from '@/lib/chat/client/pending-deletes';
import { CloseIcon } from '@/components/ui/icons';

const NOTICE_CLASS = 'pointer-events-auto flex items-center gap-3 rounded-lg border bg-background px-3 py-2 text-sm shadow-lg';

/** "Deleted “…”" with Undo, for each chat waiting to be deleted; and why a delete failed. */
export function ChatSidebarUndo() {
  const { chats, failure } = useSyncExternalStore(onPendingDeletesChanged, pendingDeletes, noPendingDeletes);
  const newestUndo = useRef<HTMLButtonElement>(null);
  const newestId = chats.at(-1)?.id;

  // The deleted chat's menu is gone with it: a keyboard left with nothing focused lands on Undo.
  useEffect(() => {
    if (newestId !== undefined && (document.activeElement === null || document.activeElement === document.body))
      newestUndo.current?.focus();
  }, [newestId]);

  if (chats.length === 0 && failure === null) return null;
  return (
    <div className="pointer-events-none fixed inset-x-3 bottom-3 z-50 flex flex-col items-start gap-2 md:right-auto md:left-3 md:max-w-80">
      {chats.map((chat) => (
        <div key={chat.id} role="status" className={NOTICE_CLASS}>
          <span className="min-w-0 flex-1 truncate">Deleted “{chat.title.trim() || 'New chat'}”</span>
          <button
            ref={chat.id === newestId ? newestUndo : undefined}
            type="button"
            onClick={() => undoDelete(chat.id)}
            className="shrink-0 rounded-md px-2 py-1 font-medium text-ring hover:bg-accent"
          >
            Undo
          </button>
        </div>
      ))}
      {failure !== null && (
        <div role="alert" className={`${NOTICE_CLASS} text-destructive`}>
          <span className="min-w-0 flex-1">{failure}</span>
          <button type="button" aria-label="Dismiss" onClick={dismissDeleteFailure} className="shrink-0 rounded-md p-1 hover:bg-accent">
            <CloseIcon size={14} />
          </button>
        </div>
      )}
    </div>
  );
}
