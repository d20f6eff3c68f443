'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { deleteChat, fetchChats, onChatsChanged, type ChatSummary } from '@/lib/chat/client-chats';
import { CloseIcon, MenuIcon, PlusIcon, TrashIcon } from '@/components/ui/icons';
import { cn } from '@/components/ui/cn';

type ChatSidebarProps = {
  currentId: string;
  /** The list as the server rendered it; refreshed on navigation and when chats change. */
  initialChats: ChatSummary[];
};

/** Earlier chats, newest first, with "New chat" and a delete button per chat. */
export function ChatSidebar({ currentId, initialChats }: ChatSidebarProps) {
  const [chats, setChats] = useState(initialChats);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const pathname = usePathname();
  const router = useRouter();

  const refresh = useCallback((signal?: AbortSignal) => {
    fetchChats(signal).then(
      (next) => {
        setChats(next);
        setProblem(null);
      },
      (error: unknown) => {
        if (signal?.aborted) return;
        setProblem(error instanceof Error ? error.message : 'Could not load the chats.');
      },
    );
  }, []);

  // Refresh on navigation, and whenever a chat is created, answered or deleted.
  useEffect(() => {
    const controller = new AbortController();
    refresh(controller.signal);
    return () => controller.abort();
  }, [pathname, refresh]);

  useEffect(() => onChatsChanged(() => refresh()), [refresh]);

  async function remove(chat: ChatSummary) {
    try {
      await deleteChat(chat.id);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'Could not delete the chat.');
      return;
    }
    setChats((list) => list.filter((c) => c.id !== chat.id));
    if (chat.id === currentId) router.push('/');
    else refresh();
  }

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label="Open chat list"
        aria-expanded={open}
        aria-controls="chat-sidebar"
        className="fixed top-3 left-3 z-30 flex size-9 items-center justify-center rounded-lg border bg-background shadow-sm md:hidden"
      >
        <MenuIcon size={18} />
      </button>
      {open && (
        <div aria-hidden="true" onClick={() => setOpen(false)} className="fixed inset-0 z-30 bg-black/40 md:hidden" />
      )}
      <nav
        id="chat-sidebar"
        aria-label="Chats"
        data-testid="chat-sidebar"
        className={cn(
          'fixed inset-y-0 left-0 z-40 flex w-72 flex-col border-r bg-sidebar text-sidebar-foreground transition-transform md:static md:z-auto md:w-64 md:translate-x-0',
          open ? 'translate-x-0' : '-translate-x-full',
        )}
      >
        <div className="flex items-center gap-2 px-3 pt-3 pb-2">
          <span className="px-1 text-base font-semibold tracking-tight">Maestro</span>
          <button
            type="button"
            onClick={() => setOpen(false)}
            aria-label="Close chat list"
            className="ml-auto flex size-8 items-center justify-center rounded-md hover:bg-accent md:hidden"
          >
            <CloseIcon size={16} />
          </button>
        </div>
        <div className="px-3 pb-2">
          <Link
            href="/"
            prefetch={false}
            onClick={() => setOpen(false)}
            className="flex items-center gap-2 rounded-lg border bg-background px-3 py-2 text-sm font-medium shadow-xs transition hover:bg-accent"
          >
            <PlusIcon size={16} />
            New chat
          </Link>
        </div>
        <h2 className="px-4 pt-3 pb-1 text-xs font-medium text-muted-foreground">Chats</h2>
        <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 pb-3" data-testid="chat-list">
          {chats.length === 0 && <li className="px-2 py-1.5 text-sm text-muted-foreground">No chats yet</li>}
          {chats.map((chat) => {
            const current = chat.id === currentId;
            const title = chat.title.trim() || 'New chat';
            return (
              <li key={chat.id} data-testid="chat-list-item" data-chat-id={chat.id} className="group relative">
                <Link
                  href={`/chat/${chat.id}`}
                  aria-current={current ? 'page' : undefined}
                  onClick={() => setOpen(false)}
                  title={title}
                  className={cn(
                    'block truncate rounded-lg py-2 pr-9 pl-3 text-sm transition',
                    current ? 'bg-accent font-medium text-accent-foreground' : 'hover:bg-accent/60',
                  )}
                >
                  {title}
                </Link>
                <button
                  type="button"
                  onClick={() => void remove(chat)}
                  aria-label={`Delete chat “${title}”`}
                  title="Delete chat"
                  className="absolute top-1/2 right-1.5 flex size-7 -translate-y-1/2 items-center justify-center rounded-md text-muted-foreground opacity-100 transition hover:bg-background hover:text-destructive focus-visible:opacity-100 md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100"
                >
                  <TrashIcon size={14} />
                </button>
              </li>
            );
          })}
        </ul>
        {problem && (
          <p role="alert" className="border-t px-4 py-2 text-xs text-destructive">
            {problem}
          </p>
        )}
      </nav>
    </>
  );
}
