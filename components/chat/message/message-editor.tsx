'use client';

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

type MessageEditorProps = {
  initialText: string;
  /** Sends the edited text as a new version of the message. */
  onSave: (text: string) => void;
  onCancel: () => void;
};

/** A sent message opened for editing, in place: Enter saves, Shift+Enter starts a new line, Esc cancels. */
export function MessageEditor({ initialText, onSave, onCancel }: MessageEditorProps) {
  const [text, setText] = useState(initialText);
  const field = useRef<HTMLTextAreaElement>(null);
  const canSave = text.trim() !== '';

  useEffect(() => {
    const element = field.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);

  function save(event?: FormEvent) {
    event?.preventDefault();
    if (canSave) onSave(text.trim());
  }

  function handleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      save(event);
    }
  }

  return (
    <form onSubmit={save} aria-label="Edit message" className="w-full max-w-[85%] rounded-2xl border bg-card p-2 shadow-sm">
      <label htmlFor="message-editor" className="sr-only">
        Edited message
      </label>
      <textarea
        id="message-editor"
        ref={field}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={handleKeyDown}
        rows={2}
        className="block max-h-60 w-full resize-none bg-transparent px-2 py-1.5 text-base outline-none field-sizing-content"
      />
      <div className="flex justify-end gap-2 pt-1">
        <button type="button" onClick={onCancel} className="rounded-md border bg-background px-3 py-1.5 text-sm transition hover:bg-accent">
          Cancel
        </button>
        <button
          type="submit"
          disabled={!canSave}
          className="rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground transition hover:opacity-90 disabled:opacity-40"
        >
          Send
        </button>
      </div>
    </form>
  );
}
