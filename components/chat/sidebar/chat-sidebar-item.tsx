'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import type { ChatSummary } from '@/lib/chat/client/chats';
import { fullChatTime, shortChatTime } from '@/lib/chat/chat-groups';
import { ChatSidebarItemMenu } from '@/components/chat/sidebar/chat-sidebar-item-menu';
import { ChatSidebarTitleEditor } from '@/components/chat/sidebar/chat-sidebar-title-editor';
import { cn } from '@/components/ui/cn';

export type ChatSidebarItemProps = {
  chat: ChatSummary;
  current: boolean;
  /** Now, to the minute; null until the page runs in the browser (then the time shows). */
  now: number | null;
  onNavigate: () => void;
  onRename: (chat: ChatSummary, title: string) => void;
  onDelete: (chat: ChatSummary) => void;
};

/** One chat in the sidebar: its title and when it was last active, a link to it, and its options. */
export function ChatSidebarItem({ chat, current, now, onNavigate, onRename, onDelete }: ChatSidebarItemProps) {
  const [editing, setEditing] = useState(false);
  const refocus = useRef(false);
  const linkRef = useRef<HTMLAnchorElement>(null);
  const title = chat.title.trim() || 'New chat';

  // A rename ended from the keyboard: the keyboard stays on this chat.
  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    linkRef.current?.focus();
  }, [editing]);

  return (
    <li data-testid="chat-list-item" data-chat-id={chat.id} className="group relative">
      {editing ? (
        <ChatSidebarTitleEditor
          title={title}
          onDone={(next, how) => {
            refocus.current = how === 'key';
            setEditing(false);
            if (next !== null) onRename(chat, next);
          }}
        />
      ) : (
        <>
          <Link
            ref={linkRef}
            href={`/chat/${chat.id}`}
            aria-current={current ? 'page' : undefined}
            onClick={onNavigate}
            title={now === null ? title : `${title}\n${fullChatTime(chat.updatedAt)}`}
            className={cn(
              'flex items-baseline gap-2 rounded-lg py-2 pr-9 pl-3 text-sm transition',
              current ? 'bg-accent font-medium text-accent-foreground' : 'hover:bg-accent/60',
            )}
          >
            <span className="min-w-0 flex-1 truncate">{title}</span>
            {now !== null && (
              <time dateTime={chat.updatedAt} className="shrink-0 text-xs font-normal text-muted-foreground tabular-nums">
                {shortChatTime(chat.updatedAt, new Date(now))}
              </time>
            )}
          </Link>
          <ChatSidebarItemMenu chatId={chat.id} onRename={() => setEditing(true)} onDelete={() => onDelete(chat)} />
        </>
      )}
    </li>
  );
}
