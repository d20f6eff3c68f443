import http from 'node:http';
import { expect, test } from '@playwright/test';
import { LAST_EVENT_ID_HEADER } from '@/lib/wire';
import { CHAT_ROUTE_TEMPLATES } from '@/tests/helpers/path-templates';

/**
 * Bad input straight over HTTP to the production server (`next start`), where Next.js itself
 * answers before any route runs: broken percent-encodings on every route and page, methods a route
 * does not serve, forbidden methods, oversized URLs and headers, bad Last-Event-IDs and cookies.
 * Each gets the answer the README documents; none a bare 500 or a stack trace.
 */

const PORT = Number(process.env.E2E_PORT ?? 3100);

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A raw request: the path goes out exactly as written (fetch would normalize it). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: PORT, method, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function expectJsonError(answer: Answer, status: number, code?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
  if (code) expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(0);
}

function expectNoTrace(answer: Answer): void {
  expect(answer.status).not.toBe(500);
  expect(answer.body).not.toMatch(/\n\s+at |Internal Server Error/);
}

const BROKEN = ['%', '%E2%82', '%C0%AF', '%E0%80%AF', '%ED%A0%80', '%ED%BF%BF', '%FF', '%zz', 'x%', '%F4%90%80%80'];
const API_ROUTES = [...CHAT_ROUTE_TEMPLATES, '/api/{}'];
const PAGES = ['/chat/{}', '/chat/x{}', '/{}'];

let cookie = '';
test.beforeAll(async () => {
  const answer = await raw('POST', '/api/identity');
  cookie = (JSON.parse(answer.body) as { identity: { cookie: string } }).identity.cookie;
});

test('a path that is not valid percent-encoding gets 400 JSON on the API and the not-found page elsewhere', async () => {
  for (const broken of BROKEN) {
    for (const route of API_ROUTES) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const answer = await raw(
          method,
          route.replace('{}', broken),
          { cookie, 'content-type': 'application/json' },
          method === 'POST' ? '{}' : undefined,
        );
        expectJsonError(answer, 400, 'invalid_path');
      }
    }
    for (const page of PAGES) {
      const answer = await raw('GET', page.replace('{}', broken), { cookie });
      expect(answer.status, page.replace('{}', broken)).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.body).toContain('There is no such page or chat.');
    }
  }
  // `%00` decodes: the routes refuse the id themselves.
  expectJsonError(await raw('GET', '/api/chats/%00', { cookie }), 400, 'invalid_chat_id');
  expect((await raw('GET', '/chat/%00', { cookie })).status).toBe(404);
});

test('methods: pages answer GET and HEAD only (405 with Allow), TRACE gets 405 JSON, unknown methods 400, API routes answer HEAD and OPTIONS', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const answer = await raw(method, '/chat/abc', { cookie });
    expect(answer.status, method).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  }
  expect((await raw('HEAD', '/chat/abc', { cookie })).status).toBe(200);
  for (const path of ['/', '/chat/abc', '/api/chats', '/api/models', '/api/chats/abc/messages']) {
    expectJsonError(await raw('TRACE', path, { cookie }), 405, 'method_not_allowed');
    // Methods Node's parser does not know (TRACK among them) never reach the app.
    for (const method of ['TRACK', 'FOO']) {
      const unknown = await raw(method, path, { cookie });
      expect(unknown.status).toBe(400);
      expectNoTrace(unknown);
    }
  }
  // HEAD is GET without a body; OPTIONS lists the methods.
  const head = await raw('HEAD', '/api/chats', { cookie });
  expect(head.status).toBe(200);
  expect(head.body).toBe('');
  expect((await raw('HEAD', '/api/chats')).status).toBe(401);
  const options = await raw('OPTIONS', '/api/chats/abc', { cookie });
  expect(options.status).toBe(204);
  expect(options.headers.allow).toContain('DELETE');
  // A method a route does not serve: Next's 405, empty.
  const put = await raw('PUT', '/api/chats', { cookie });
  expect(put.status).toBe(405);
  expectNoTrace(put);
});

test('very long URLs and headers get 431 from the server; long ids get the usual 400 and 404', async () => {
  const long = 'a'.repeat(20_000);
  for (const answer of [
    await raw('GET', `/chat/${long}`),
    await raw('GET', `/api/chats/${long}`, { cookie }),
    await raw('GET', '/', { 'x-filler': long }),
    await raw('GET', '/api/models', { cookie: `${cookie}; x=${long}` }),
  ]) {
    expect(answer.status).toBe(431);
    expectNoTrace(answer);
  }
  const id = 'a'.repeat(5_000);
  expectJsonError(await raw('GET', `/api/chats/${id}`, { cookie }), 400, 'invalid_chat_id');
  expect((await raw('GET', `/chat/${id}`, { cookie })).status).toBe(404);
});

test('a bad Last-Event-ID gets 400 JSON; a bad cookie gets 401 on the API and a new identity on a page', async () => {
  for (const value of ['abc', '-1', '1-', '1.5', '9'.repeat(30), '1-2-3']) {
    expectJsonError(
      await raw('GET', '/api/chats/some-chat/stream', { cookie, [LAST_EVENT_ID_HEADER]: value }),
      400,
      'invalid_last_event_id',
    );
  }
  for (const bad of ['maestro_id=%E0%A4%A', 'maestro_id="unterminated', 'maestro_id=forged.signature', ';;;==;', 'maestro_id']) {
    expectJsonError(await raw('GET', '/api/chats', { cookie: bad }), 401, 'no_identity');
    const page = await raw('GET', '/chat/abc', { cookie: bad });
    expect(page.status).toBe(200);
    expect(String(page.headers['set-cookie'])).toMatch(/^maestro_id=[A-Za-z0-9-]+\./);
  }
});

test('an identity in one call: POST /api/identity sets and returns the cookie, and a repeated call keeps it', async () => {
  const first = await raw('POST', '/api/identity');
  expect(first.status).toBe(201);
  const given = (JSON.parse(first.body) as { identity: { cookie: string } }).identity.cookie;
  expect(String(first.headers['set-cookie'])).toContain(given);
  const again = await raw('POST', '/api/identity', { cookie: given });
  expect(again.status).toBe(200);
  expect((JSON.parse(again.body) as { identity: { cookie: string } }).identity.cookie).toBe(given);
  expect((await raw('GET', '/api/chats', { cookie: given })).status).toBe(200);
  expectJsonError(await raw('POST', '/api/identity', { origin: 'https://evil.example' }), 403, 'cross_site');
});
