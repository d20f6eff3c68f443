'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore } from 'react';
import type { ChatSummary } from '@/lib/chat/client/chats';
import { deleteWithUndo, noPendingDeletes, onPendingDeletesChanged, pendingDeletes } from '@/lib/chat/client/pending-deletes';
import { ChatSidebarGroups } from '@/components/chat/sidebar/chat-sidebar-groups';
import { ChatSidebarResults } from '@/components/chat/sidebar/chat-sidebar-results';
import { ChatSidebarSearchBox } from '@/components/chat/sidebar/chat-sidebar-search-box';
import { ChatSidebarUndo } from '@/components/chat/sidebar/chat-sidebar-undo';
import { useChatList } from '@/components/chat/sidebar/use-chat-list';
import { useChatSearch } from '@/components/chat/sidebar/use-chat-search';
import { useDocumentTitle } from '@/components/chat/sidebar/use-document-title';
import { useMinuteClock } from '@/components/chat/sidebar/use-minute-clock';
import { CloseButton } from '@/components/ui/close-button';
import { MenuIcon, PlusIcon } from '@/components/ui/icons';
import { cn } from '@/components/ui/cn';
import { ToolsButton } from '@/components/tools/tools-button';

type ChatSidebarProps = {
  currentId: string;
  /** The list as the server rendered it; refreshed on navigation and when chats change. */
  initialChats: ChatSummary[];
};

/** Earlier chats grouped by when they were active, a search over them, and "New chat". */
export function ChatSidebar({ currentId, initialChats }: ChatSidebarProps) {
  const { chats, problem, rename } = useChatList(initialChats);
  const deleting = useSyncExternalStore(onPendingDeletesChanged, pendingDeletes, noPendingDeletes).chats;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const search = useChatSearch(query);
  const now = useMinuteClock();
  const router = useRouter();

  const visible = chats.filter((chat) => !deleting.some((gone) => gone.id === chat.id));
  useDocumentTitle(visible.find((chat) => chat.id === currentId)?.title.trim());

  function remove(chat: ChatSummary) {
    deleteWithUndo(chat);
    if (chat.id === currentId) router.push('/');
  }

  const close = () => setOpen(false);

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
      {open && <div aria-hidden="true" onClick={close} className="fixed inset-0 z-30 bg-black/40 md:hidden" />}
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
          <CloseButton label="Close chat list" onClick={close} className="ml-auto md:hidden" />
        </div>
        <div className="px-3 pb-2">
          <Link
            href="/"
            prefetch={false}
            onClick={close}
            className="flex items-center gap-2 rounded-lg border bg-background px-3 py-2 text-sm font-medium shadow-xs transition hover:bg-accent"
          >
            <PlusIcon size={16} />
            New chat
          </Link>
        </div>
        <ChatSidebarSearchBox query={query} onChange={setQuery} />
        {query.trim() === '' ? (
          <ChatSidebarGroups
            chats={visible}
            currentId={currentId}
            now={now}
            onNavigate={close}
            onRename={(chat, title) => void rename(chat, title)}
            onDelete={remove}
          />
        ) : (
          <ChatSidebarResults
            query={query}
            {...search}
            results={search.results?.filter((chat) => !deleting.some((gone) => gone.id === chat.id)) ?? null}
            currentId={currentId}
            now={now}
            onNavigate={() => {
              close();
              setQuery('');
            }}
          />
        )}
        {problem && (
          <p role="alert" className="border-t px-4 py-2 text-xs text-destructive">
            {problem}
          </p>
        )}
        <div className="mt-auto border-t px-3 py-2">
          <ToolsButton />
        </div>
      </nav>
      <ChatSidebarUndo />
    </>
  );
}
