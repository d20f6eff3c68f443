'use client';

import {
  useEffect,
  useId,
  useImperativeHandle,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { measureMessage } from '@/lib/chat/message-length';
import { ArrowUpIcon, StopIcon } from '@/components/ui/icons';
import { cn } from '@/components/ui/cn';
import { useEscapeToStop } from '@/components/chat/session/use-escape-to-stop';

/** What the page may ask of the composer. */
export type ComposerHandle = {
  focus: () => void;
  /** Puts back the text of a message that was not sent, ahead of anything typed since. */
  restore: (text: string) => void;
};

type ComposerProps = {
  ref?: Ref<ComposerHandle>;
  /** A run is active: sending waits, stopping is possible. */
  busy: boolean;
  /** The longest message the server accepts (`MAESTRO_MAX_MESSAGE_CHARS`). */
  maxChars: number;
  onSend: (text: string) => void;
  onStop: () => void;
  /** Controls shown under the text field, e.g. the model picker. */
  toolbar?: ReactNode;
};

const count = (n: number) => n.toLocaleString('en-US');

const ROUND_BUTTON =
  'flex size-9 shrink-0 items-center justify-center rounded-full bg-primary text-primary-foreground transition hover:opacity-90';

/**
 * The message field: Enter sends, Shift+Enter starts a new line. While an answer is being written
 * its one button stops the answer (so does Esc). Near the length limit a counter shows; over it the
 * message is not sent, and the field says why.
 */
export function Composer({ ref, busy, maxChars, onSend, onStop, toolbar }: ComposerProps) {
  const [text, setText] = useState('');
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const counterId = useId();
  const limitId = useId();
  const measured = measureMessage(text, maxChars);
  const canSend = !busy && measured.length > 0 && !measured.over;

  useEscapeToStop(busy, onStop, textareaRef);

  useEffect(() => {
    textareaRef.current?.focus();
  }, []);

  useImperativeHandle(
    ref,
    () => ({
      focus: () => textareaRef.current?.focus(),
      restore: (restored) => {
        setText((current) => (current.trim() === '' ? restored : `${restored}\n\n${current}`));
        textareaRef.current?.focus();
      },
    }),
    [],
  );

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

  function handleStop(event: MouseEvent<HTMLButtonElement>) {
    // The second click of a double click on Send lands on Stop: it must not stop the answer it sent.
    if (event.detail > 1) return;
    onStop();
  }

  const limitText = `${count(measured.excess)} ${measured.excess === 1 ? 'character' : 'characters'} over the limit of ${count(maxChars)}. Shorten the message to send it.`;

  return (
    <form
      onSubmit={handleSubmit}
      aria-label="Send a message"
      className={cn(
        'rounded-2xl border bg-card shadow-sm transition focus-within:shadow-md',
        measured.over ? 'border-destructive/60' : 'focus-within:border-ring/60',
      )}
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
        aria-invalid={measured.over || undefined}
        aria-describedby={measured.over ? limitId : measured.showCounter ? counterId : undefined}
        className="block max-h-60 min-h-12 w-full resize-none bg-transparent px-4 pt-3.5 pb-1 text-base outline-none field-sizing-content placeholder:text-muted-foreground focus-visible:outline-none"
      />
      {measured.over && (
        <p id={limitId} data-testid="composer-limit" className="px-4 pt-1 text-xs text-destructive">
          {limitText}
        </p>
      )}
      <div className="flex items-center gap-2 px-2.5 pb-2.5">
        <div className="min-w-0 flex-1">{toolbar}</div>
        {measured.showCounter && (
          <span
            id={counterId}
            data-testid="composer-counter"
            className={cn('shrink-0 px-1 text-xs tabular-nums', measured.over ? 'font-medium text-destructive' : 'text-muted-foreground')}
          >
            <span aria-hidden="true">
              {count(measured.length)} / {count(maxChars)}
            </span>
            <span className="sr-only">
              {count(measured.length)} of {count(maxChars)} characters
            </span>
          </span>
        )}
        {busy ? (
          <button type="button" onClick={handleStop} aria-label="Stop answer" title="Stop answer (Esc)" className={ROUND_BUTTON}>
            <StopIcon size={14} />
          </button>
        ) : (
          <button
            type="submit"
            disabled={!canSend}
            aria-label="Send message"
            aria-describedby={measured.over ? limitId : undefined}
            title={measured.over ? limitText : 'Send (Enter)'}
            className={cn(ROUND_BUTTON, 'disabled:cursor-not-allowed disabled:opacity-30')}
          >
            <ArrowUpIcon size={16} />
          </button>
        )}
      </div>
    </form>
  );
}
