import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { isPublicAddress } from '@/lib/tools/net/address-policy';
import { parseTarget } from '@/lib/tools/net/parse-host';
import { checkedAddress, defaultResolve, pinnedLookup } from '@/lib/tools/net/safe-fetch';

export type GuardedFetchOptions = {
  /** Let private, loopback and local names through (an operator's server on the same host or network). */
  allowPrivate: boolean;
  /** Host name → addresses; defaults to the system resolver. */
  resolve?: (host: string) => Promise<string[]>;
};

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for MCP over HTTP under `fetch_url`'s address policy; the socket goes to the checked address, so a
 * name cannot re-resolve to a private one in between. Redirects are never followed (the caller sees the 3xx).
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  const isAllowed = options.allowPrivate ? () => true : isPublicAddress;
  const resolve = options.resolve ?? defaultResolve;
  return async (input, init) => {
    const request = new Request(input, init);
    const target = parseTarget(request.url, { allowLocalNames: options.allowPrivate });
    const address = await checkedAddress(target, isAllowed, resolve, request.signal);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = Object.fromEntries(request.headers);
    headers.host = target.url.host;
    return new Promise<Response>((resolveResponse, reject) => {
      const outgoing = (target.url.protocol === 'https:' ? https : http).request(
        {
          protocol: target.url.protocol,
          host: target.ip ?? target.host,
          port: target.port,
          path: `${target.url.pathname}${target.url.search}`,
          method: request.method,
          headers,
          lookup: pinnedLookup(address),
          agent: false,
          signal: request.signal,
          ...(target.url.protocol === 'https:' && target.ip === undefined ? { servername: target.host } : {}),
        },
        (incoming) => {
          const status = incoming.statusCode ?? 502;
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
            responseHeaders.append(incoming.rawHeaders[i] as string, incoming.rawHeaders[i + 1] as string);
          }
          const hasBody = !NULL_BODY_STATUSES.has(status) && request.method !== 'HEAD';
          if (!hasBody) incoming.resume();
          resolveResponse(
            new Response(hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null, {
              status,
              statusText: incoming.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}
