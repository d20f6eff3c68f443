import { cn } from '@/components/ui/cn';
import { CloseIcon } from '@/components/ui/icons';

/** A square icon button that closes a panel; `label` is what a screen reader says. */
export function CloseButton({ label, onClick, className }: { label: string; onClick: () => void; className?: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={label}
      className={cn('flex size-8 items-center justify-center rounded-md hover:bg-accent', className)}
    >
      <CloseIcon size={16} />
    </button>
  );
}
