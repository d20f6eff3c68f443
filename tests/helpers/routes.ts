/**
 * Every route handler module, imported after the test file has set its environment (the
 * modules read their configuration on first use).
 */
export async function loadRoutes() {
  return {
    messages: await import('@/app/api/chats/[id]/messages/route'),
    approvals: await import('@/app/api/chats/[id]/approvals/route'),
    stream: await import('@/app/api/chats/[id]/stream/route'),
    stop: await import('@/app/api/chats/[id]/stop/route'),
    active: await import('@/app/api/chats/[id]/active/route'),
    run: await import('@/app/api/chats/[id]/run/route'),
    chat: await import('@/app/api/chats/[id]/route'),
    exportChat: await import('@/app/api/chats/[id]/export/route'),
    chats: await import('@/app/api/chats/route'),
    models: await import('@/app/api/models/route'),
  };
}

export type Routes = Awaited<ReturnType<typeof loadRoutes>>;
