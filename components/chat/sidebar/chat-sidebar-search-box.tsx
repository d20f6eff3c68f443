'use client';

import { useRef } from 'react';
import { CloseIcon, SearchIcon } from '@/components/ui/icons';

type ChatSidebarSearchBoxProps = { query: string; onChange: (query: string) => void };

/** "Search chats": searches titles and messages as one types; Escape or the clear button empties it. */
export function ChatSidebarSearchBox({ query, onChange }: ChatSidebarSearchBoxProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="relative mx-3 mb-2">
      <SearchIcon size={15} className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-muted-foreground" />
      <input
        ref={input}
        type="search"
        aria-label="Search chats"
        placeholder="Search chats"
        value={query}
        maxLength={200}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && query !== '') {
            event.preventDefault();
            onChange('');
          }
        }}
        className="block w-full rounded-lg border bg-background py-1.5 pr-8 pl-8 text-sm shadow-xs placeholder:text-muted-foreground [&::-webkit-search-cancel-button]:appearance-none"
      />
      {query !== '' && (
        <button
          type="button"
          aria-label="Clear search"
          onClick={() => {
            onChange('');
            input.current?.focus();
          }}
          className="absolute top-1/2 right-1 flex size-6 -translate-y-1/2 items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground"
        >
          <CloseIcon size={14} />
        </button>
      )}
    </div>
  );
}
