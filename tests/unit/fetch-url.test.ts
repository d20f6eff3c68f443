import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeEntities, FETCH_URL_DISABLED_MESSAGE, fetch_url, fetchReadable, htmlToText } from '@/lib/tools/fetch-url';
import { blockedAddressReason, blockedHostnameReason, isPublicAddress, parseIp } from '@/lib/tools/net/address-policy';
import { parseTarget } from '@/lib/tools/net/parse-host';
import { FetchRefusedError, pinnedLookup, requestOptionsFor, safeFetch, type SafeFetchOptions } from '@/lib/tools/net/safe-fetch';

// The tool reads its switch from the configuration, parsed on first use: off, as by default.
process.env.MAESTRO_FETCH_URL_ENABLED = 'false';

const execOptions = { toolCallId: 'call-test', messages: [], context: {} };

/*
 * A local server on 127.0.0.1 (random port). The strict policy refuses it, so the tests that fetch from it
 * pass `allowLocal`: 127.0.0.1 exactly, plus public addresses. Every other blocked class stays blocked.
 */
type Seen = { path: string; host: string | undefined };
const seen: Seen[] = [];
let server: http.Server;
let port = 0;
let base = '';
const allowLocal = (ip: string) => ip === '127.0.0.1' || isPublicAddress(ip);

const PAGE = `<!doctype html>
<html><head><title>  Hello &amp; welcome  </title>
<style>body { color: red } .STYLE_SECRET {}</style>
<script>var SCRIPT_SECRET = "<p>not text</p>";</script>
</head>
<body>
<nav><a href="/">NAV_LINK Home</a></nav>
<main>
  <h1>Main   heading</h1>
  <p>First&nbsp;paragraph with <b>bold</b> text &lt;tag&gt; &#169; &#x263A;.</p>
  <!-- COMMENT_SECRET -->
  <ul><li>one</li><li>two</li></ul>
  <script type="module">import("SCRIPT_SECRET_2")</script>
</main>
<footer>FOOTER_TEXT</footer>
</body></html>`;

function listen(): Promise<void> {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    seen.push({ path: url.pathname, host: req.headers.host });
    switch (url.pathname) {
      case '/page':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(PAGE);
        return;
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('x'.repeat(100_000));
        return;
      case '/exact':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('y'.repeat(1024));
        return;
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"answer":42}');
        return;
      case '/png':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
        return;
      case '/gzip':
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync('<title>Zipped</title><p>compressed body</p>'));
        return;
      case '/bomb':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync(Buffer.alloc(10_000_000)));
        return;
      case '/slow':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('start…');
        setTimeout(() => res.end('done'), 5_000).unref();
        return;
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/page' });
        res.end();
        return;
      case '/loop':
        res.writeHead(301, { location: '/loop' });
        res.end();
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      base = `http://127.0.0.1:${port}`;
      resolve();
    });
  });
}

beforeAll(listen);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function local(extra: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return { maxBytes: 64 * 1024, timeoutMs: 5_000, isAllowedAddress: allowLocal, ...extra };
}

/** Runs `fn` and returns what it threw, plus the requests the local server saw meanwhile. */
async function failure(fn: () => Promise<unknown>): Promise<{ error: unknown; requests: Seen[] }> {
  const before = seen.length;
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, requests: seen.slice(before) };
}

describe('address policy', () => {
  const blocked: [string, RegExp][] = [
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['10.0.0.1', /private/],
    ['10.255.255.255', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['100.100.100.200', /carrier-grade NAT/],
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['169.254.169.254', /cloud metadata/],
    ['169.254.1.1', /link-local/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.0.0.170', /IETF/],
    ['192.0.2.1', /documentation/],
    ['192.168.1.1', /private/],
    ['198.18.0.1', /benchmarking/],
    ['198.19.255.255', /benchmarking/],
    ['198.51.100.7', /documentation/],
    ['203.0.113.9', /documentation/],
    ['168.63.129.16', /Azure/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['[::1]', /loopback/],
    ['0:0:0:0:0:0:0:1', /loopback/],
    ['fc00::1', /unique-local/],
    ['fd00:ec2::254', /unique-local/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['febf:ffff::1', /link-local/],
    ['fec0::1', /site-local/],
    ['ff02::1', /multicast/],
    ['2001:db8::1', /documentation/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['100::1', /discard/],
    ['::127.0.0.1', /IPv4-compatible/],
    ['::7f00:1', /IPv4-compatible/],
    // IPv4-mapped IPv6, in both spellings: judged by the embedded IPv4 address.
    ['::ffff:127.0.0.1', /loopback address \(IPv4-mapped 127\.0\.0\.1\)/],
    ['::ffff:7f00:1', /loopback address \(IPv4-mapped 127\.0\.0\.1\)/],
    ['0:0:0:0:0:ffff:7f00:1', /loopback/],
    ['::ffff:169.254.169.254', /cloud metadata/],
    ['::ffff:a9fe:a9fe', /cloud metadata/],
    ['::ffff:10.0.0.1', /private/],
    ['::ffff:0:a00:1', /private address \(IPv4-translated 10\.0\.0\.1\)/],
    // NAT64 and 6to4 with an embedded private IPv4 address.
    ['64:ff9b::7f00:1', /loopback address \(NAT64 127\.0\.0\.1\)/],
    ['64:ff9b::169.254.169.254', /cloud metadata address \(NAT64/],
    ['64:ff9b:1::1', /local-use NAT64/],
    ['2002:7f00:1::1', /loopback address \(6to4 127\.0\.0\.1\)/],
    ['2002:c0a8:101::', /private address \(6to4 192\.168\.1\.1\)/],
    ['2002:a9fe:a9fe::1', /cloud metadata/],
    // Outside 2000::/3: not routable on the internet.
    ['4000::1', /not a global unicast/],
    // Non-canonical spellings are not addresses here (URLs are normalised before they reach the policy).
    ['2130706433', /not a valid IP/],
    ['0177.0.0.1', /not a valid IP/],
    ['0x7f000001', /not a valid IP/],
    ['127.1', /not a valid IP/],
    ['localhost', /not a valid IP/],
    ['', /not a valid IP/],
  ];

  it.each(blocked)('refuses %s', (address, reason) => {
    expect(blockedAddressReason(address)).toMatch(reason);
    expect(isPublicAddress(address)).toBe(false);
  });

  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
  ];

  it.each(allowed)('allows the public address %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
    expect(isPublicAddress(address)).toBe(true);
  });

  it('parses IPv6 forms into the same bytes', () => {
    const expected = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1];
    expect(Array.from(parseIp('::ffff:127.0.0.1')?.bytes ?? [])).toEqual(expected);
    expect(Array.from(parseIp('::ffff:7f00:1')?.bytes ?? [])).toEqual(expected);
    expect(Array.from(parseIp('0:0:0:0:0:FFFF:7F00:0001')?.bytes ?? [])).toEqual(expected);
    expect(parseIp('1::2::3')).toBeUndefined();
    expect(parseIp('::ffff:1.2.3')).toBeUndefined();
  });

  it.each([
    'localhost',
    'foo.localhost',
    'metadata.google.internal',
    'metadata.goog',
    'metadata',
    'instance-data',
    'printer.local',
    'anything.internal',
    'router.home.arpa',
    'intranet',
  ])('refuses the host name %s', (host) => {
    expect(blockedHostnameReason(host)).toBeDefined();
  });

  it('allows ordinary host names', () => {
    expect(blockedHostnameReason('example.com')).toBeUndefined();
    expect(blockedHostnameReason('en.wikipedia.org')).toBeUndefined();
  });
});

describe('URL parsing', () => {
  // WHATWG URL parsing normalises every numeric IPv4 spelling; the normalised address is what gets checked.
  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0X7F000001/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://127.0.1/', '127.0.0.1'],
    ['http://127.0.0.1./', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://0x0/', '0.0.0.0'],
    ['http://2852039166/', '169.254.169.254'],
    ['http://0xa9fea9fe/', '169.254.169.254'],
    ['http://0251.0376.0251.0376/', '169.254.169.254'],
    ['http://[::]/', '::'],
    ['http://[::1]/', '::1'],
    ['http://[0:0:0:0:0:0:0:1]/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe'],
    ['http://[64:ff9b::127.0.0.1]/', '64:ff9b::7f00:1'],
  ])('%s is the address %s, which the policy refuses', (url, ip) => {
    const target = parseTarget(url);
    expect(target.ip).toBe(ip);
    expect(blockedAddressReason(target.ip ?? '')).toBeDefined();
  });

  it.each([
    'file:///etc/passwd',
    'ftp://example.com/file',
    'data:text/plain,hello',
    'javascript:alert(1)',
    'gopher://example.com:70/_GET',
    'ws://example.com/',
    'dict://127.0.0.1:11211/',
  ])('refuses the scheme of %s', (url) => {
    expect(() => parseTarget(url)).toThrow(/Only http and https/);
  });

  it.each(['http://user:secret@example.com/', 'https://user@example.com/', 'http://:pw@example.com/'])(
    'refuses credentials in %s',
    (url) => {
      expect(() => parseTarget(url)).toThrow(/credentials/);
    },
  );

  it('refuses invalid, over-long and disguised-numeric URLs', () => {
    expect(() => parseTarget('not a url')).toThrow(FetchRefusedError);
    expect(() => parseTarget('/relative/path')).toThrow(/not a valid absolute URL/);
    expect(() => parseTarget(`https://example.com/${'a'.repeat(3000)}`)).toThrow(/longer than/);
    expect(() => parseTarget('http://1.2.3.4.5/')).toThrow(FetchRefusedError);
  });

  it('keeps ordinary URLs, lower-cases the host and strips a trailing dot', () => {
    const target = parseTarget('https://Example.COM./a?b=1#frag');
    expect(target).toMatchObject({ host: 'example.com', ip: undefined, port: 443 });
    expect(parseTarget('http://example.com:8080/').port).toBe(8080);
  });
});

describe('safeFetch: the strict default policy', () => {
  it('refuses every spelling of the local server before connecting', async () => {
    const resolve = vi.fn(async () => ['127.0.0.1']);
    for (const url of [
      `http://127.0.0.1:${port}/page`,
      `http://2130706433:${port}/page`,
      `http://0x7f000001:${port}/page`,
      `http://0177.0.0.1:${port}/page`,
      `http://127.1:${port}/page`,
      `http://[::ffff:127.0.0.1]:${port}/page`,
      `http://localhost:${port}/page`,
      `http://LOCALHOST.:${port}/page`,
    ]) {
      const { error, requests } = await failure(() => safeFetch(url, { maxBytes: 1024, timeoutMs: 2_000, resolve }));
      expect(error, url).toBeInstanceOf(FetchRefusedError);
      expect(requests, url).toEqual([]);
    }
    expect(resolve).not.toHaveBeenCalled();
  });

  it('refuses a public-looking name that resolves to the local server (system resolver stubbed)', async () => {
    const { error, requests } = await failure(() =>
      safeFetch(`http://public.example:${port}/page`, {
        maxBytes: 1024,
        timeoutMs: 2_000,
        resolve: async () => ['127.0.0.1'],
      }),
    );
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(String(error)).toMatch(/resolves to 127\.0\.0\.1, a loopback address/);
    expect(requests).toEqual([]);
  });

  it('refuses a name if ANY of its addresses is blocked', async () => {
    const { error, requests } = await failure(() =>
      safeFetch(`http://mixed.example:${port}/page`, local({ resolve: async () => ['127.0.0.1', '10.0.0.7'] })),
    );
    expect(String(error)).toMatch(/10\.0\.0\.7, a private address/);
    expect(requests).toEqual([]);
  });

  it('refuses metadata host names without resolving them', async () => {
    const resolve = vi.fn(async () => ['8.8.8.8']);
    for (const url of [
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.Google.Internal./computeMetadata/v1/',
      'http://metadata/',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      await expect(safeFetch(url, { maxBytes: 1024, timeoutMs: 2_000, resolve }), url).rejects.toThrow(FetchRefusedError);
    }
    expect(resolve).not.toHaveBeenCalled();
  });

  it('reports a name that does not resolve', async () => {
    const { error } = await failure(() =>
      safeFetch('http://nothing.example/', local({ resolve: async () => Promise.reject(new Error('ENOTFOUND')) })),
    );
    expect(String(error)).toMatch(/Could not resolve the host "nothing\.example"/);
    await expect(safeFetch('http://empty.example/', local({ resolve: async () => [] }))).rejects.toThrow(/no address/);
    // The system resolver (RFC 6761: .invalid never resolves; offline sandboxes may time out instead).
    await expect(safeFetch('http://nothing.invalid/', { maxBytes: 1024, timeoutMs: 3_000 })).rejects.toThrow(/Could not resolve|timed out/);
  });
});

describe('safeFetch against a local server (127.0.0.1 allowed for the test)', () => {
  it('fetches a page', async () => {
    const result = await safeFetch(`${base}/page`, local());
    expect(result).toMatchObject({ url: `${base}/page`, status: 200, truncated: false, redirects: [], address: '127.0.0.1' });
    expect(result.contentType).toBe('text/html; charset=utf-8');
    expect(result.body.toString()).toContain('Main   heading');
  });

  it('caps the size: stops reading and says truncated', async () => {
    const result = await safeFetch(`${base}/big`, local({ maxBytes: 1024 }));
    expect(result.truncated).toBe(true);
    expect(result.body.length).toBe(1024);
    const exact = await safeFetch(`${base}/exact`, local({ maxBytes: 1024 }));
    expect(exact.truncated).toBe(false);
    expect(exact.body.length).toBe(1024);
  });

  it('times out on a slow server', async () => {
    const started = Date.now();
    await expect(safeFetch(`${base}/slow`, local({ timeoutMs: 300 }))).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("respects the caller's abort signal", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(safeFetch(`${base}/slow`, local({ signal: controller.signal }))).rejects.toThrow(/cancelled/);
    await expect(safeFetch(`${base}/page`, local({ signal: AbortSignal.abort() }))).rejects.toThrow(/cancelled/);
  });

  it('follows a redirect and checks the hop', async () => {
    const result = await safeFetch(`${base}/redirect?to=/page`, local());
    expect(result.url).toBe(`${base}/page`);
    expect(result.redirects).toEqual([`${base}/redirect?to=/page`]);
  });

  it.each([
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['IPv6 loopback', () => `http://[::1]:${port}/page`, /loopback/],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/', /cloud metadata/],
    ['a decimal loopback spelling', () => `http://2130706434:${port}/page`, /loopback/],
    ['localhost', () => `http://localhost:${port}/page`, /local or cloud-metadata host name/],
    ['a private address', 'http://192.168.0.1/', /private/],
    ['file:', 'file:///etc/passwd', /Only http and https/],
    ['credentials', () => `http://user:pw@127.0.0.1:${port}/page`, /credentials/],
  ])('refuses a redirect to %s at the hop, though the first hop was allowed', async (_name, to, reason) => {
    const location = typeof to === 'function' ? to() : to;
    const { error, requests } = await failure(() => safeFetch(`${base}/redirect?to=${encodeURIComponent(location)}`, local()));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(String(error)).toMatch(reason);
    expect(requests.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('refuses a redirect to a name that resolves to a blocked address', async () => {
    const resolve = vi.fn(async (host: string) => (host === 'evil.example' ? ['10.1.2.3'] : ['127.0.0.1']));
    const { error, requests } = await failure(() =>
      safeFetch(`${base}/redirect?to=${encodeURIComponent('http://evil.example/')}`, local({ resolve })),
    );
    expect(String(error)).toMatch(/evil\.example" resolves to 10\.1\.2\.3, a private address/);
    expect(requests.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('stops after 5 redirects', async () => {
    const { error, requests } = await failure(() => safeFetch(`${base}/loop`, local()));
    expect(String(error)).toMatch(/Too many redirects/);
    expect(requests).toHaveLength(6);
  });

  it('decompresses gzip within the size cap', async () => {
    const result = await fetchReadable(`${base}/gzip`, local());
    expect(result).toMatchObject({ title: 'Zipped', text: 'compressed body', truncated: false });
    // A decompression bomb: 10 MB of zeros in about 10 kB; only maxBytes of it are ever inflated.
    const bomb = await safeFetch(`${base}/bomb`, local({ maxBytes: 4096 }));
    expect(bomb).toMatchObject({ truncated: true });
    expect(bomb.body.length).toBe(4096);
  });
});

describe('DNS rebinding', () => {
  it('connects to the address it checked; no second lookup decides the target', async () => {
    // First answer allowed, every later answer the metadata address: a rebinding resolver.
    const resolve = vi.fn(async (_host: string) => (resolve.mock.calls.length === 1 ? ['127.0.0.1'] : ['169.254.169.254']));
    const before = seen.length;
    // "rebind.test" does not exist in real DNS (RFC 6761), so only the pinned lookup can reach the server.
    const result = await safeFetch(`http://rebind.test:${port}/page`, local({ resolve }));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(result.address).toBe('127.0.0.1');
    expect(result.status).toBe(200);
    expect(seen.slice(before)).toEqual([{ path: '/page', host: `rebind.test:${port}` }]);
  });

  it('resolves and checks again at every hop, so a rebound answer on a redirect is refused', async () => {
    const resolve = vi.fn(async (_host: string) => (resolve.mock.calls.length === 1 ? ['127.0.0.1'] : ['169.254.169.254']));
    const { error, requests } = await failure(() => safeFetch(`http://rebind.test:${port}/redirect?to=/page`, local({ resolve })));
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(String(error)).toMatch(/resolves to 169\.254\.169\.254, the cloud metadata address/);
    expect(requests.map((r) => r.path)).toEqual(['/redirect']);
  });
});

describe('pinned connections', () => {
  it('the socket lookup answers every name with the checked address, in both callback shapes', () => {
    const lookup = pinnedLookup('93.184.215.14');
    const single = vi.fn();
    const all = vi.fn();
    lookup('attacker-controlled.example', {}, single);
    lookup('attacker-controlled.example', { all: true }, all);
    expect(single).toHaveBeenCalledWith(null, '93.184.215.14', 4);
    expect(all).toHaveBeenCalledWith(null, [{ address: '93.184.215.14', family: 4 }]);
    const v6 = vi.fn();
    pinnedLookup('2606:4700::1')('x.example', {}, v6);
    expect(v6).toHaveBeenCalledWith(null, '2606:4700::1', 6);
  });

  it('https keeps the host name for Host and TLS SNI while connecting to the checked address', () => {
    const options = requestOptionsFor(parseTarget('https://Example.com:8443/a/b?c=1#frag'), '93.184.215.14');
    expect(options).toMatchObject({ host: 'example.com', servername: 'example.com', port: 8443, path: '/a/b?c=1', agent: false });
    expect(options.headers).toMatchObject({ host: 'example.com:8443' });
    const single = vi.fn();
    options.lookup?.('example.com', {}, single);
    expect(single).toHaveBeenCalledWith(null, '93.184.215.14', 4);
    // An IP literal is connected to directly (Node skips the lookup) and sends no SNI.
    const literal = requestOptionsFor(parseTarget('https://[2606:4700::1111]/'), '2606:4700::1111');
    expect(literal).toMatchObject({ host: '2606:4700::1111', port: 443 });
    expect(literal.servername).toBeUndefined();
    expect(literal.headers).toMatchObject({ host: '[2606:4700::1111]' });
  });
});

describe('fetchReadable and HTML to text', () => {
  it('returns the title and readable text without scripts, styles, navigation or comments', async () => {
    const result = await fetchReadable(`${base}/page`, local());
    expect(result.title).toBe('Hello & welcome');
    expect(result.contentType).toBe('text/html');
    expect(result.text).toContain('Main heading');
    expect(result.text).toContain('First paragraph with bold text <tag> © ☺.');
    expect(result.text).toContain('- one\n- two');
    for (const hidden of ['SCRIPT_SECRET', 'STYLE_SECRET', 'NAV_LINK', 'COMMENT_SECRET', 'FOOTER_TEXT', 'not text', 'Hello &']) {
      expect(result.text).not.toContain(hidden);
    }
    expect(result.text).not.toMatch(/\s{3,}/);
  });

  it('passes JSON and plain text through and refuses other types', async () => {
    expect(await fetchReadable(`${base}/json`, local())).toMatchObject({
      title: '',
      text: '{"answer":42}',
      contentType: 'application/json',
    });
    expect(await fetchReadable(`${base}/missing`, local())).toMatchObject({ status: 404, text: 'not found' });
    await expect(fetchReadable(`${base}/png`, local())).rejects.toThrow(/image\/png/);
  });

  it('stays linear on hostile markup (unclosed tags by the hundred thousand)', () => {
    const started = Date.now();
    for (const hostile of ['<nav>'.repeat(200_000), '<title>'.repeat(150_000), '<a '.repeat(300_000), '<li>x'.repeat(200_000)]) {
      htmlToText(hostile);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('handles cut-off markup and odd entities', () => {
    expect(htmlToText('<title>Cut off <p>body').title).toBe('Cut off body');
    expect(htmlToText('<p>a <b c <i>d</i> e <a href="x').text).toBe('a <b c d e');
    expect(htmlToText('<p>kept</p><script>var a = 1; // cut off').text).toBe('kept');
    expect(htmlToText('<p>a<br>b</p><p>c</p><!-- open comment').text).toBe('a\nb\n\nc');
    expect(htmlToText('<p>no title</p>').title).toBe('');
    expect(decodeEntities('&amp;lt; &#0; &#x110000; &unknown; &QUOT;')).toBe('&lt; \uFFFD \uFFFD &unknown; "');
  });
});

describe('the fetch_url tool', () => {
  it('is off by default, with a clear error', async () => {
    const before = seen.length;
    await expect(Promise.resolve(fetch_url.execute?.({ url: `${base}/page` }, execOptions))).rejects.toThrow(FETCH_URL_DISABLED_MESSAGE);
    expect(seen.length).toBe(before);
    expect(fetch_url.description?.length).toBeGreaterThan(40);
  });

  it('when enabled, always uses the strict policy (the local server is refused)', async () => {
    vi.resetModules();
    process.env.MAESTRO_FETCH_URL_ENABLED = 'true';
    try {
      const fresh = await import('@/lib/tools/fetch-url');
      const before = seen.length;
      await expect(Promise.resolve(fresh.fetch_url.execute?.({ url: `${base}/page` }, execOptions))).rejects.toThrow(
        /127\.0\.0\.1 is a loopback address/,
      );
      await expect(Promise.resolve(fresh.fetch_url.execute?.({ url: `http://localhost:${port}/page` }, execOptions))).rejects.toThrow(
        /local or cloud-metadata host name/,
      );
      expect(seen.length).toBe(before);
    } finally {
      process.env.MAESTRO_FETCH_URL_ENABLED = 'false';
    }
  });
});
