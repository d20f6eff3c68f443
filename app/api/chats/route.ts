import { requireIdentity } from '@/lib/auth/identity';
import { searchChats } from '@/lib/chats/search';
import { parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { getStore } from '@/lib/store';
import { chatsQuerySchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Most results a search answers with. */
const SEARCH_RESULTS = 20;

/** The caller's chats, newest first; with `?q=`, those matching it, each with a snippet. */
export const GET = handleErrors(async (request: Request) => {
  const ownerId = requireIdentity(request);
  const { q } = parseParam(Object.fromEntries(new URL(request.url).searchParams), chatsQuerySchema, 'query');
  if (q) return Response.json({ chats: await searchChats(ownerId, q, SEARCH_RESULTS) });
  const store = await getStore();
  return Response.json({ chats: await store.listChats(ownerId) });
});
