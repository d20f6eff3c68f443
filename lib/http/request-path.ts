/**
 * Paths refused before routing because Next.js would fail to decode them and answer a bare 500: invalid
 * percent-encoded UTF-8. Free of Node-only modules, as the proxy imports it.
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
