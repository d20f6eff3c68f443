'use client';

import { groupChats } from '@/lib/chat/chat-groups';
import type { ChatSummary } from '@/lib/chat/client/chats';
import { ChatSidebarItem, type ChatSidebarItemProps } from '@/components/chat/sidebar/chat-sidebar-item';

type ChatSidebarGroupsProps = Omit<ChatSidebarItemProps, 'chat' | 'current'> & {
  chats: ChatSummary[];
  currentId: string;
};

/**
 * The chats under Today / Yesterday / Previous 7 days / Older. Until the page runs in the browser
 * (which knows the viewer's time zone) they are one list without headings.
 */
export function ChatSidebarGroups({ chats, currentId, now, ...itemProps }: ChatSidebarGroupsProps) {
  const groups = now === null ? [{ label: null, chats }] : groupChats(chats, new Date(now));
  return (
    <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3" data-testid="chat-list">
      {chats.length === 0 && <p className="px-2 py-1.5 text-sm text-muted-foreground">No chats yet</p>}
      {groups.map((group) => (
        <div key={group.label ?? 'all'}>
          {group.label !== null && <h2 className="px-2 pt-3 pb-1 text-xs font-medium text-muted-foreground">{group.label}</h2>}
          <ul className="space-y-0.5">
            {group.chats.map((chat) => (
              <ChatSidebarItem key={chat.id} chat={chat} current={chat.id === currentId} now={now} {...itemProps} />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
