import { RetryIcon } from '@/components/ui/icons';

/** The "Retry" button of a failed answer; the caller sets its look. */
export function RetryButton({ onClick, className, iconSize }: { onClick: () => void; className: string; iconSize: number }) {
  return (
    <button type="button" onClick={onClick} className={className}>
      <RetryIcon size={iconSize} />
      Retry
    </button>
  );
}
