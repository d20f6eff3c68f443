import { handleErrors } from '@/lib/http/errors';
import { getStore } from '@/lib/store';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = handleErrors(async () => {
  const store = await getStore();
  return Response.json({ chats: await store.listChats() });
});
