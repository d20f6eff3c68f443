import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex h-dvh flex-col items-center justify-center gap-3 px-6 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="text-sm text-muted-foreground">There is no such page or chat.</p>
      <Link href="/" prefetch={false} className="rounded-lg border px-3 py-2 text-sm font-medium hover:bg-accent">
        Start a new chat
      </Link>
    </main>
  );
}
