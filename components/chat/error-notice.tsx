import { AlertIcon } from '@/components/ui/icons';
import { RetryButton } from '@/components/ui/retry-button';

type ErrorNoticeProps = {
  message: string;
  /** Offered when trying again makes sense. */
  onRetry?: () => void;
  title?: string;
  testId?: string;
};

/** A failed run (or a refused send), said plainly, with a way to try again when there is one. */
export function ErrorNotice({ message, onRetry, title = 'The answer failed', testId = 'chat-error' }: ErrorNoticeProps) {
  return (
    <div
      role="alert"
      data-testid={testId}
      className="flex items-start gap-3 rounded-lg border border-destructive/40 bg-destructive/5 px-4 py-3 text-sm"
    >
      <AlertIcon size={16} className="mt-0.5 shrink-0 text-destructive" />
      <div className="min-w-0 flex-1">
        <p className="font-medium text-destructive">{title}</p>
        <p data-testid={`${testId}-message`} className="mt-0.5 break-words text-foreground/80">
          {message}
        </p>
      </div>
      {onRetry && (
        <RetryButton
          onClick={onRetry}
          iconSize={13}
          className="inline-flex shrink-0 items-center gap-1.5 rounded-md border bg-background px-2.5 py-1.5 text-xs font-medium transition hover:bg-accent"
        />
      )}
    </div>
  );
}
