import net from 'node:net';
import { blockedHostnameReason } from '@/lib/tools/net/address-policy';

/** The fetcher refused a URL, a host or an address by policy (not a network failure). */
export class FetchRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchRefusedError';
  }
}

export type Target = {
  /** The parsed URL (WHATWG: numeric IPv4 spellings are already normalised to dotted decimal). */
  url: URL;
  /** Lower-case host name without brackets or a trailing dot, e.g. "example.com", "127.0.0.1", "::1". */
  host: string;
  /** `host` when the URL names an IP address directly. */
  ip: string | undefined;
  port: number;
};

export const MAX_URL_LENGTH = 2048;

/**
 * A host that still looks numeric after WHATWG parsing (e.g. a label like "0x7f" or "017" that the URL
 * parser kept as a name): refused rather than handed to a resolver that might read it as an address.
 */
function looksNumeric(host: string): boolean {
  const last = host.split('.').at(-1) ?? '';
  return /^(0x[0-9a-f]*|[0-9]+)$/i.test(last);
}

/**
 * Parse and vet a URL before anything is resolved: http(s) only, no credentials, no local/metadata host
 * names (unless `allowLocalNames`, for an operator who allows private addresses). IP literals are returned in
 * the normalised form that the address policy must then judge.
 */
export function parseTarget(input: string | URL, options: { allowLocalNames?: boolean } = {}): Target {
  const text = typeof input === 'string' ? input.trim() : input.href;
  if (text.length > MAX_URL_LENGTH) throw new FetchRefusedError(`The URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchRefusedError(`"${text.slice(0, 200)}" is not a valid absolute URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError(`Only http and https URLs can be fetched, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new FetchRefusedError('URLs with credentials (user:password@) are refused.');
  }
  const bracketed = url.hostname.startsWith('[') && url.hostname.endsWith(']');
  const host = (bracketed ? url.hostname.slice(1, -1) : url.hostname).toLowerCase().replace(/\.$/, '');
  if (host === '') throw new FetchRefusedError('The URL has no host.');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);

  if (net.isIP(host) !== 0) return { url, host, ip: host, port };
  if (looksNumeric(host)) throw new FetchRefusedError(`The host "${host}" looks like a disguised IP address.`);
  const reason = options.allowLocalNames ? undefined : blockedHostnameReason(host);
  if (reason) throw new FetchRefusedError(`Refused to fetch ${url.href}: "${host}" is ${reason}.`);
  return { url, host, ip: undefined, port };
}
