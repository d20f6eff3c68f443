import { IDENTITY_COOKIE, identityCookieHeader, identityOrNew, verifyIdentity } from '@/lib/auth/identity';
import { handleErrors } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * An identity in one call, for programmatic clients: the one the request's cookie carries (200), or
 * a new one (201). Sets the cookie, and returns it for clients that send it as a header.
 */
export const POST = handleErrors(async (request: Request) => {
  assertSameOrigin(request);
  const { value, created } = identityOrNew(request.headers.get('cookie'));
  const secure = new URL(request.url).protocol === 'https:';
  return Response.json(
    { identity: { id: verifyIdentity(value), cookie: `${IDENTITY_COOKIE}=${value}` } },
    { status: created ? 201 : 200, headers: { 'set-cookie': identityCookieHeader(value, secure), 'cache-control': 'no-store' } },
  );
});
