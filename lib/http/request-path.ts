/**
 * Requests the app refuses before routing, because Next.js would answer them with a bare 500: a
 * path that is not valid percent-encoded UTF-8 (a truncated `%`, an overlong sequence, a lone
 * surrogate), which Next fails to decode into the route's parameters. Free of Node-only modules:
 * the proxy imports it.
 */

/** True when a segment of `pathname` (as sent, still encoded) does not decode as UTF-8. */
export function hasMalformedEncoding(pathname: string): boolean {
  if (!pathname.includes('%')) return false;
  for (const segment of pathname.split('/')) {
    try {
      decodeURIComponent(segment);
    } catch {
      return true;
    }
  }
  return false;
}

/** Methods a page answers; others get 405 with `Allow`. */
export const PAGE_METHODS = ['GET', 'HEAD'] as const;

export function isPageMethod(method: string): boolean {
  return (PAGE_METHODS as readonly string[]).includes(method);
}
