'use client';

import { chatExportUrl } from '@/lib/chat/client/chats';
import { DownloadIcon, MoreIcon, PencilIcon, TrashIcon } from '@/components/ui/icons';
import { Menu, MenuItem, MenuLink } from '@/components/ui/menu';

type ChatSidebarItemMenuProps = {
  chatId: string;
  onRename: () => void;
  onDelete: () => void;
};

/** The options of one chat in the sidebar: rename, export, delete. */
export function ChatSidebarItemMenu({ chatId, onRename, onDelete }: ChatSidebarItemMenuProps) {
  return (
    <Menu
      label="Chat options"
      trigger={<MoreIcon size={16} />}
      buttonClassName="absolute top-1/2 right-1.5 flex size-7 -translate-y-1/2 items-center justify-center rounded-md text-muted-foreground transition hover:bg-background hover:text-foreground aria-expanded:bg-background aria-expanded:opacity-100 md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100"
    >
      <MenuItem icon={<PencilIcon size={15} />} onSelect={onRename}>
        Rename chat
      </MenuItem>
      <MenuLink icon={<DownloadIcon size={15} />} href={chatExportUrl(chatId, 'md')} download>
        Export as Markdown
      </MenuLink>
      <MenuLink icon={<DownloadIcon size={15} />} href={chatExportUrl(chatId, 'json')} download>
        Export as JSON
      </MenuLink>
      <MenuItem icon={<TrashIcon size={15} />} onSelect={onDelete} destructive>
        Delete chat
      </MenuItem>
    </Menu>
  );
}
