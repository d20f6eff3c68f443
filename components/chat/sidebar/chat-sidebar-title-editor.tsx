'use client';

import { useRef, useState } from 'react';
import { CHAT_TITLE_MAX_CHARS, normalizeTitle } from '@/lib/chats/title';

type ChatSidebarTitleEditorProps = {
  title: string;
  /** Called once: with the new title (Enter, or leaving the field), or with null (Escape, or nothing changed). */
  onDone: (title: string | null, how: 'key' | 'blur') => void;
};

/** A chat's title being renamed in place: Enter saves, Escape cancels, leaving the field saves. */
export function ChatSidebarTitleEditor({ title, onDone }: ChatSidebarTitleEditorProps) {
  const [value, setValue] = useState(title);
  const done = useRef(false);

  function finish(save: boolean, how: 'key' | 'blur') {
    if (done.current) return;
    done.current = true;
    const next = normalizeTitle(value);
    onDone(save && next !== '' && next !== title ? next : null, how);
  }

  return (
    <input
      type="text"
      aria-label="Chat title"
      value={value}
      maxLength={CHAT_TITLE_MAX_CHARS}
      autoFocus
      onFocus={(event) => event.currentTarget.select()}
      onChange={(event) => setValue(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          finish(true, 'key');
        } else if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          finish(false, 'key');
        }
      }}
      onBlur={() => finish(true, 'blur')}
      className="block w-full rounded-lg border border-ring bg-background px-3 py-[7px] text-sm outline-none focus-visible:outline-none"
    />
  );
}
