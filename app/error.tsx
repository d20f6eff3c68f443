'use client';

import Link from 'next/link';

/** A page failed to render (e.g. the store is down). Never shows the error's details. */
export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="flex h-dvh flex-col items-center justify-center gap-3 px-6 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="text-sm text-muted-foreground">The page could not be loaded. Please try again.</p>
      <div className="flex gap-2">
        <button
          type="button"
          onClick={() => retry()}
          className="rounded-lg bg-primary px-3 py-2 text-sm font-medium text-primary-foreground"
        >
          Try again
        </button>
        <Link href="/" prefetch={false} className="rounded-lg border px-3 py-2 text-sm font-medium hover:bg-accent">
          New chat
        </Link>
      </div>
    </main>
  );
}
