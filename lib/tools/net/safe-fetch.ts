import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { blockedAddressReason, isPublicAddress } from '@/lib/tools/net/address-policy';
import { FetchRefusedError, parseTarget, type Target } from '@/lib/tools/net/parse-host';

export { FetchRefusedError } from '@/lib/tools/net/parse-host';

export type SafeFetchOptions = {
  /** Most body bytes kept (after decompression); the rest is not read and `truncated` is true. */
  maxBytes: number;
  /** Total time for every hop: resolving, connecting, redirects and the body. */
  timeoutMs: number;
  /** The caller's cancellation (e.g. the tool call's abort signal). */
  signal?: AbortSignal;
  maxRedirects?: number;
  /**
   * The address policy. Defaults to the strict public-only policy; the tool never passes one. Tests pass an
   * allowance for 127.0.0.1 so they can use a local server.
   */
  isAllowedAddress?: (address: string) => boolean;
  /** Host name → addresses. Defaults to `dns.promises.lookup(host, { all: true })`. */
  resolve?: (host: string) => Promise<string[]>;
};

export type SafeFetchResult = {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
  truncated: boolean;
  /** The URLs that redirected, in order. */
  redirects: string[];
  /** The checked address the final request was sent to. */
  address: string;
};

export const DEFAULT_MAX_REDIRECTS = 5;
const USER_AGENT = 'Maestro-fetch_url/1.0';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function defaultResolve(host: string): Promise<string[]> {
  const found = await dns.promises.lookup(host, { all: true, order: 'verbatim' });
  return found.map((entry) => entry.address);
}

function explain(address: string, isAllowed: (address: string) => boolean): string {
  return blockedAddressReason(address) ?? (isAllowed(address) ? 'allowed' : 'not allowed by the address policy');
}

/** Settles with `promise`, or rejects as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The address to connect to for `target`: its IP literal, or the first address it resolves to. Refuses if
 * ANY resolved address is not allowed (a name that mixes public and private answers is not fetched).
 */
export async function checkedAddress(
  target: Target,
  isAllowed: (address: string) => boolean,
  resolve: (host: string) => Promise<string[]>,
  signal: AbortSignal,
): Promise<string> {
  if (target.ip !== undefined) {
    if (!isAllowed(target.ip)) {
      throw new FetchRefusedError(`Refused to fetch ${target.url.href}: ${target.ip} is ${explain(target.ip, isAllowed)}.`);
    }
    return target.ip;
  }
  let addresses: string[];
  try {
    addresses = await untilAborted(resolve(target.host), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new Error(`Could not resolve the host "${target.host}".`, { cause: error });
  }
  const first = addresses[0];
  if (first === undefined) throw new Error(`The host "${target.host}" has no address.`);
  for (const address of addresses) {
    if (net.isIP(address) === 0 || !isAllowed(address)) {
      throw new FetchRefusedError(
        `Refused to fetch ${target.url.href}: "${target.host}" resolves to ${address}, ${explain(address, isAllowed)}.`,
      );
    }
  }
  return first;
}

type Hop = { status: number; location: string | undefined; contentType: string | undefined; body: Buffer; truncated: boolean };

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/** A socket `lookup` that ignores the name it is given and answers with the already-checked address. */
export function pinnedLookup(address: string): net.LookupFunction {
  const family = net.isIP(address);
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * The request options for one hop to the checked `address`: Host header and TLS server name are the URL's
 * host (so virtual hosts and certificates work), the socket's lookup is pinned to `address`, and no agent
 * (no pooled socket from an earlier hop) is used.
 */
export function requestOptionsFor(target: Target, address: string): https.RequestOptions {
  const isHttps = target.url.protocol === 'https:';
  return {
    protocol: target.url.protocol,
    host: target.ip ?? target.host,
    port: target.port,
    path: `${target.url.pathname}${target.url.search}`,
    method: 'GET',
    headers: {
      host: target.url.host,
      'user-agent': USER_AGENT,
      accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.1',
      'accept-encoding': 'gzip, deflate, br',
    },
    lookup: pinnedLookup(address),
    agent: false,
    ...(isHttps && target.ip === undefined ? { servername: target.host } : {}),
  };
}

/**
 * One GET to `address` (already checked). The pinned lookup hands the socket the checked address, so no
 * second resolution can pick the target. Reads at most `maxBytes` of the (decompressed) body.
 */
function requestOnce(target: Target, address: string, maxBytes: number, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const options = requestOptionsFor(target, address);

    let settled = false;
    let stream: Readable | undefined;
    const finish = (error: unknown, hop?: Hop) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      request.destroy();
      stream?.destroy();
      if (hop) resolve(hop);
      else reject(error);
    };
    const onAbort = () => finish(signal.reason);

    const request = (target.url.protocol === 'https:' ? https : http).request(options, (response) => {
      const status = response.statusCode ?? 0;
      const contentType = response.headers['content-type'];
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        finish(null, { status, location, contentType, body: Buffer.alloc(0), truncated: false });
        return;
      }
      const decoder = decoderFor(response.headers['content-encoding']);
      stream = decoder ? response.pipe(decoder) : response;
      if (decoder) response.on('error', (error) => finish(error));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        if (size + chunk.length > maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - size));
          finish(null, { status, location, contentType, body: Buffer.concat(chunks), truncated: true });
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      stream.on('end', () => finish(null, { status, location, contentType, body: Buffer.concat(chunks), truncated: false }));
      stream.on('error', (error) => finish(error));
      response.on('close', () => {
        if (!response.complete) finish(new Error('The server closed the connection mid-response.'));
      });
    });
    request.on('error', (error) => finish(error));
    if (signal.aborted) finish(signal.reason);
    else signal.addEventListener('abort', onAbort, { once: true });
    request.end();
  });
}

/**
 * GET `url` without ever connecting to a non-public address: http(s) only, no credentials, the host is
 * resolved and EVERY answer checked, the connection goes to the checked address, each redirect hop is
 * checked again, and time and size are capped. Rejects with FetchRefusedError when the policy refuses.
 */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<SafeFetchResult> {
  const isAllowed = options.isAllowedAddress ?? isPublicAddress;
  const resolve = options.resolve ?? defaultResolve;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  const redirects: string[] = [];
  let target = parseTarget(url);
  try {
    for (;;) {
      const address = await checkedAddress(target, isAllowed, resolve, signal);
      const hop = await requestOnce(target, address, options.maxBytes, signal);
      if (hop.location === undefined) {
        return {
          url: target.url.href,
          status: hop.status,
          contentType: hop.contentType,
          body: hop.body,
          truncated: hop.truncated,
          redirects,
          address,
        };
      }
      if (redirects.length >= maxRedirects) throw new Error(`Too many redirects (more than ${maxRedirects}).`);
      redirects.push(target.url.href);
      let next: URL;
      try {
        next = new URL(hop.location, target.url);
      } catch {
        throw new Error(`The server redirected to an invalid URL: ${hop.location.slice(0, 200)}`);
      }
      target = parseTarget(next);
    }
  } catch (error) {
    if (timeout.aborted) throw new Error(`Fetching ${url} timed out after ${options.timeoutMs} ms.`, { cause: error });
    if (options.signal?.aborted) throw new Error('The fetch was cancelled.', { cause: error });
    throw error;
  }
}
