'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { CheckIcon, ChevronLeftIcon, ChevronRightIcon, CopyIcon } from '@/components/ui/icons';
import { cn } from '@/components/ui/cn';

/** How long "Copied" shows after a copy. */
const COPIED_MS = 2_000;

const ACTION_CLASS =
  'inline-flex size-7 items-center justify-center rounded-md text-muted-foreground transition hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring disabled:pointer-events-none disabled:opacity-40';

/** A message's small icon button; its accessible name is `label`. */
export function ActionButton({
  label,
  onClick,
  disabled,
  children,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" aria-label={label} title={label} onClick={onClick} disabled={disabled} className={ACTION_CLASS}>
      {children}
    </button>
  );
}

/** "Copy message": puts the text on the clipboard and says so for a moment. */
export function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <>
      <ActionButton
        label="Copy message"
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setCopied(true),
            () => undefined,
          );
        }}
      >
        {copied ? <CheckIcon size={14} /> : <CopyIcon size={14} />}
      </ActionButton>
      <span aria-live="polite" data-testid="copied" className="sr-only">
        {copied ? 'Copied' : ''}
      </span>
    </>
  );
}

/**
 * A message's other versions (its siblings): ‹ 2 / 3 ›. Choosing one shows its branch; disabled
 * while an answer streams.
 */
export function VersionNav({
  ids,
  current,
  onSwitch,
  disabled,
}: {
  ids: string[];
  current: string;
  onSwitch: (id: string) => void;
  disabled: boolean;
}) {
  const index = ids.indexOf(current);
  if (ids.length < 2 || index === -1) return null;
  const go = (offset: number) => {
    const target = ids[index + offset];
    if (target !== undefined) onSwitch(target);
  };
  return (
    <div role="group" aria-label="Versions" className="inline-flex items-center text-xs text-muted-foreground tabular-nums">
      <ActionButton label="Previous version" onClick={() => go(-1)} disabled={disabled || index === 0}>
        <ChevronLeftIcon size={14} />
      </ActionButton>
      <span data-testid="version-position" className="min-w-9 text-center">
        {index + 1} / {ids.length}
      </span>
      <ActionButton label="Next version" onClick={() => go(1)} disabled={disabled || index === ids.length - 1}>
        <ChevronRightIcon size={14} />
      </ActionButton>
    </div>
  );
}

/**
 * Where a message's actions sit: shown on hover and keyboard focus, and always on touch screens
 * (no hover there).
 */
export function ActionBar({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div
      className={cn(
        'flex items-center gap-0.5 opacity-0 transition-opacity group-hover:opacity-100 group-focus-within:opacity-100 [@media(hover:none)]:opacity-100',
        className,
      )}
    >
      {children}
    </div>
  );
}
