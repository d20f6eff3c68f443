/** What the agent is doing right now ("Thinking…", "Using tool: calculator…"), with animated dots. */
export function StatusBubble({ label }: { label: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="status-bubble"
      className="inline-flex items-center gap-2.5 rounded-full border bg-card px-3.5 py-1.5 text-sm text-muted-foreground shadow-xs"
    >
      <span className="flex items-center gap-1" aria-hidden="true">
        {[0, 160, 320].map((delay) => (
          <span key={delay} className="size-1.5 animate-status-dot rounded-full bg-current" style={{ animationDelay: `${delay}ms` }} />
        ))}
      </span>
      <span data-testid="status-label">{label}</span>
    </div>
  );
}
