import { requireIdentity } from '@/lib/auth/identity';
import { handleErrors } from '@/lib/http/errors';
import { getStore } from '@/lib/store';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The caller's chats, newest first. */
export const GET = handleErrors(async (request: Request) => {
  const ownerId = requireIdentity(request);
  const store = await getStore();
  return Response.json({ chats: await store.listChats(ownerId) });
});
