'use client';

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ArrowUpIcon, StopIcon } from '@/components/ui/icons';

type ComposerProps = {
  /** A run is active: sending waits, stopping is possible. */
  busy: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  /** Controls shown under the text field, e.g. the model picker. */
  toolbar?: ReactNode;
};

/** The message field: Enter sends, Shift+Enter starts a new line. */
export function Composer({ busy, onSend, onStop, toolbar }: ComposerProps) {
  const [text, setText] = useState('');
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const canSend = !busy && text.trim() !== '';

  useEffect(() => {
    textareaRef.current?.focus();
  }, []);

  function submit() {
    if (!canSend) return;
    onSend(text.trim());
    setText('');
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  }

  return (
    <form
      onSubmit={handleSubmit}
      aria-label="Send a message"
      className="rounded-2xl border bg-card shadow-sm transition focus-within:border-ring/60 focus-within:shadow-md"
    >
      <label htmlFor="composer-input" className="sr-only">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={textareaRef}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={handleKeyDown}
        rows={1}
        placeholder="Ask anything…"
        className="block max-h-60 min-h-12 w-full resize-none bg-transparent px-4 pt-3.5 pb-1 text-base outline-none field-sizing-content placeholder:text-muted-foreground focus-visible:outline-none"
      />
      <div className="flex items-center gap-2 px-2.5 pb-2.5">
        <div className="min-w-0 flex-1">{toolbar}</div>
        {busy && (
          <button
            type="button"
            onClick={onStop}
            aria-label="Stop"
            title="Stop"
            className="flex size-9 items-center justify-center rounded-full border bg-background text-foreground transition hover:bg-accent"
          >
            <StopIcon size={16} />
          </button>
        )}
        <button
          type="submit"
          disabled={!canSend}
          aria-label="Send message"
          title="Send (Enter)"
          className="flex size-9 items-center justify-center rounded-full bg-primary text-primary-foreground transition hover:opacity-90 disabled:cursor-not-allowed disabled:opacity-30"
        >
          <ArrowUpIcon size={16} />
        </button>
      </div>
    </form>
  );
}
