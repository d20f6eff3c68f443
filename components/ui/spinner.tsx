import { cn } from '@/components/ui/cn';

/** A small spinning ring; decorative (the surrounding text says what is happening). */
export function Spinner({ className }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn('inline-block size-3.5 shrink-0 animate-spin rounded-full border-2 border-current border-r-transparent', className)}
    />
  );
}
