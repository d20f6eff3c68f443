import { NextResponse, type NextRequest } from 'next/server';
import { IDENTITY_COOKIE, identityCookieHeader, newIdentityId, signIdentity, verifyIdentity } from '@/lib/auth/identity';

/** Gives every browser an anonymous identity before any page or route sees the request. */
export function proxy(request: NextRequest) {
  if (verifyIdentity(request.cookies.get(IDENTITY_COOKIE)?.value)) return NextResponse.next();
  const value = signIdentity(newIdentityId());
  // The request that arrives without an identity already carries the new one.
  const headers = new Headers(request.headers);
  const others = (request.headers.get('cookie') ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && !pair.startsWith(`${IDENTITY_COOKIE}=`));
  headers.set('cookie', [...others, `${IDENTITY_COOKIE}=${value}`].join('; '));
  const response = NextResponse.next({ request: { headers } });
  response.headers.append('set-cookie', identityCookieHeader(value, request.nextUrl.protocol === 'https:'));
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
