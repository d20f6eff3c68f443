import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '@/lib/tools/net/guarded-fetch';
import { FetchRefusedError } from '@/lib/tools/net/safe-fetch';

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/redirect') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () =>
      response
        .writeHead(200, { 'content-type': 'application/json', 'x-host': request.headers.host ?? '' })
        .end(JSON.stringify({ method: request.method, body })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

describe('createGuardedFetch', () => {
  it('refuses private addresses, local names, and names that resolve to a private address', async () => {
    const strict = createGuardedFetch({ allowPrivate: false, resolve: async () => ['10.0.0.7'] });
    await expect(strict(`http://127.0.0.1:${port}/mcp`)).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    await expect(strict(`http://localhost:${port}/mcp`)).rejects.toThrow(FetchRefusedError);
    await expect(strict('http://[::ffff:169.254.169.254]/')).rejects.toThrow(/cloud metadata/);
    await expect(strict('https://mcp.example.com/mcp')).rejects.toThrow(/resolves to 10\.0\.0\.7, a private address/);
  });

  it('sends the request to the checked address (method, headers, body) and streams the answer back', async () => {
    // A public-looking name pinned to the local test server: only the operator's allowance lets it through.
    const allowed = createGuardedFetch({ allowPrivate: true, resolve: async () => ['127.0.0.1'] });
    const response = await allowed(`http://mcp.example.com:${port}/mcp`, {
      method: 'POST',
      body: '{"jsonrpc":"2.0"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-host')).toBe(`mcp.example.com:${port}`);
    expect(await response.json()).toEqual({ method: 'POST', body: '{"jsonrpc":"2.0"}' });
  });

  it('never follows a redirect', async () => {
    const allowed = createGuardedFetch({ allowPrivate: true });
    const response = await allowed(`http://127.0.0.1:${port}/redirect`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data');
  });
});
