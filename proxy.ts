import { NextResponse, type NextRequest } from 'next/server';
import { IDENTITY_COOKIE, identityCookieHeader, identityOrNew } from '@/lib/auth/identity';
import { getConfig } from '@/lib/config';
import { errorResponse } from '@/lib/http/errors';
import { hasMalformedEncoding, isPageMethod, PAGE_METHODS } from '@/lib/http/request-path';

/**
 * Every page's Content-Security-Policy: only this origin's scripts carrying the request's nonce (Next adds it to
 * its own), no framing or plugins; images from other hosts only with MAESTRO_ALLOW_IMAGES.
 */
export function contentSecurityPolicy(nonce: string, { allowImages, dev }: { allowImages: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    // React needs eval for its debugging aids in development only.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${allowImages ? ' https: http:' : ''}`,
    "font-src 'self'",
    // The development server's hot reload talks over a WebSocket to this host.
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** A path no page has: rewriting to it renders the not-found page, with status 404. */
const NOT_FOUND_PATH = '/not-found';

/**
 * Answers what Next.js would answer with a bare 500 or a page it should not serve: a path that is
 * not valid percent-encoding (400 JSON for the API, the not-found page for a page), and a page
 * asked with a method other than GET or HEAD (405). Undefined for everything else.
 */
function refused(request: NextRequest): Response | undefined {
  const { pathname } = request.nextUrl;
  const api = pathname.startsWith('/api/');
  if (hasMalformedEncoding(pathname)) {
    if (api) return errorResponse(400, 'invalid_path', 'The request path is not valid percent-encoded UTF-8.');
    return NextResponse.rewrite(new URL(NOT_FOUND_PATH, request.url));
  }
  if (!api && !pathname.startsWith('/_next/') && !isPageMethod(request.method)) {
    return new Response('Method Not Allowed', {
      status: 405,
      headers: { allow: PAGE_METHODS.join(', '), 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return undefined;
}

/**
 * Gives every browser an anonymous identity when it loads a page, and puts a fresh CSP nonce on
 * every page request (the other security headers are in next.config.mjs). Refuses malformed
 * requests first (see `refused`).
 */
export function proxy(request: NextRequest) {
  const refusal = refused(request);
  if (refusal) return refusal;
  // An API path reaches the proxy only when it holds a `%` (see the matcher), for the check above.
  if (request.nextUrl.pathname.startsWith('/api/')) return NextResponse.next();
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce, {
    allowImages: getConfig().allowImages,
    dev: process.env.NODE_ENV === 'development',
  });
  const headers = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header while it renders the page.
  headers.set('content-security-policy', csp);
  headers.set('x-nonce', nonce);

  const identity = identityOrNew(request.headers.get('cookie'));
  const newIdentity = identity.created ? identity.value : undefined;
  if (newIdentity !== undefined) {
    // The request that arrives without an identity already carries the new one.
    const others = (request.headers.get('cookie') ?? '')
      .split(';')
      .map((pair) => pair.trim())
      .filter((pair) => pair !== '' && !pair.startsWith(`${IDENTITY_COOKIE}=`));
    headers.set('cookie', [...others, `${IDENTITY_COOKIE}=${newIdentity}`].join('; '));
  }

  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  if (newIdentity !== undefined) {
    response.headers.append('set-cookie', identityCookieHeader(newIdentity, request.nextUrl.protocol === 'https:'));
  }
  return response;
}

export const config = {
  // Pages only: API routes need no nonce or new identity (their fixed CSP is in next.config.mjs), and skipping
  // spares each a second pass through Next.js. API paths with a `%` come here, so an undecodable one gets 400.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/).*)', '/api/:path(.*%.*)'],
};
