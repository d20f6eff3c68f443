import { NextResponse, type NextRequest } from 'next/server';
import { IDENTITY_COOKIE, identityCookieHeader, identityOrNew } from '@/lib/auth/identity';
import { getConfig } from '@/lib/config';
import { errorResponse } from '@/lib/http/errors';
import { hasMalformedEncoding, isPageMethod, PAGE_METHODS } from '@/lib/http/request-path';

/**
 * The Content-Security-Policy of every response: scripts only from this origin and carrying this
 * request's nonce (Next puts it on its own scripts when it renders the page, see
 * node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md); no inline event
 * handlers, no plugins, no framing, no <base>, forms post only here, fetches only here. Images from
 * other hosts only when answers may show images (MAESTRO_ALLOW_IMAGES).
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
    return new Response('Method Not Allowed', { status: 405, headers: { allow: PAGE_METHODS.join(', '), 'content-type': 'text/plain; charset=utf-8' } });
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
  // Pages only. API routes need neither a nonce (they run no script) nor a new identity (they
  // answer 401 without one; a browser has one from its first page), and skipping the proxy spares
  // every API request a second pass through Next.js: about 1.3 ms of a message's first status.
  // Their CSP is a fixed one, in next.config.mjs. An API path with a `%` in it comes here, so that
  // one Next cannot decode is answered 400 rather than 500.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/).*)', '/api/:path(.*%.*)'],
};
