import { AlertIcon, RetryIcon } from '@/components/ui/icons';

/** A failed run, said plainly, with a way to try again. */
export function ErrorNotice({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div
      role="alert"
      data-testid="chat-error"
      className="flex items-start gap-3 rounded-lg border border-destructive/40 bg-destructive/5 px-4 py-3 text-sm"
    >
      <AlertIcon size={16} className="mt-0.5 shrink-0 text-destructive" />
      <div className="min-w-0 flex-1">
        <p className="font-medium text-destructive">The answer failed</p>
        <p data-testid="chat-error-message" className="mt-0.5 break-words text-foreground/80">
          {message}
        </p>
      </div>
      <button
        type="button"
        onClick={onRetry}
        className="inline-flex shrink-0 items-center gap-1.5 rounded-md border bg-background px-2.5 py-1.5 text-xs font-medium transition hover:bg-accent"
      >
        <RetryIcon size={13} />
        Retry
      </button>
    </div>
  );
}
