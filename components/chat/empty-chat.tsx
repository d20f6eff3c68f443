const SUGGESTIONS = [
  'What is 17 * 23?',
  'What time is it in Tokyo?',
  'Which files are in the workspace?',
  'Explain how Maestro streams answers.',
];

/** The start of a new chat: a greeting and a few questions to try. */
export function EmptyChat({ onPick }: { onPick: (text: string) => void }) {
  return (
    <div className="flex flex-col items-center pt-[12vh] text-center" data-testid="empty-chat">
      <h2 className="text-2xl font-semibold tracking-tight sm:text-3xl">What can I help with?</h2>
      <p className="mt-2 max-w-md text-sm text-muted-foreground">
        Maestro is an agent with tools: a calculator, the clock, and the files of its workspace. You see every step it takes.
      </p>
      <div className="mt-8 grid w-full max-w-xl gap-2 sm:grid-cols-2">
        {SUGGESTIONS.map((text) => (
          <button
            key={text}
            type="button"
            onClick={() => onPick(text)}
            className="rounded-xl border bg-card px-4 py-3 text-left text-sm transition hover:bg-accent"
          >
            {text}
          </button>
        ))}
      </div>
    </div>
  );
}
