import { HttpError } from '@/lib/http/errors';

/**
 * Checks every state-changing route makes before anything else: the request must come from a page
 * of this site, and carry JSON when it carries a body.
 */

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** Sec-Fetch-Site values of requests this site's own pages (or the user, typing a URL) make. */
const SAME_SITE_FETCH = new Set(['same-origin', 'none']);

function first(value: string | null): string | undefined {
  const head = value?.split(',')[0]?.trim();
  return head ? head : undefined;
}

/**
 * The origin the request was sent to: `x-forwarded-proto` / `x-forwarded-host` when a proxy set
 * them, else the `Host` header, else the request's URL.
 */
export function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const proto = first(request.headers.get('x-forwarded-proto')) ?? url.protocol.replace(/:$/, '');
  const host = first(request.headers.get('x-forwarded-host')) ?? first(request.headers.get('host')) ?? url.host;
  return `${proto.toLowerCase()}://${host.toLowerCase()}`;
}

/**
 * 403 `cross_site` unless `Sec-Fetch-Site` and `Origin` (each if present) say this site: browsers send them on
 * cross-site writes, so another page cannot act with the user's cookie, while curl and tests send neither.
 */
export function assertSameOrigin(request: Request): void {
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite !== null && !SAME_SITE_FETCH.has(fetchSite.trim().toLowerCase())) {
    throw new HttpError(403, 'cross_site', 'Cross-site requests are not allowed.');
  }
  const origin = request.headers.get('origin');
  if (origin !== null && origin.trim().toLowerCase() !== requestOrigin(request)) {
    throw new HttpError(403, 'cross_site', 'Cross-site requests are not allowed.');
  }
}

/** 415 unless the request says its body is JSON. */
export function assertJsonContentType(request: Request): void {
  if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
    throw new HttpError(415, 'unsupported_media_type', 'The request body must be JSON (content-type: application/json).');
  }
}
