import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_COOKIE, signIdentity } from '@/lib/auth/identity';
import { params, userMessage } from '@/tests/helpers/requests';
import { loadRoutes, type Routes } from '@/tests/helpers/routes';

process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-identity-'));

let identity: typeof import('@/app/api/identity/route');
let routes: Routes;
beforeAll(async () => {
  identity = await import('@/app/api/identity/route');
  routes = await loadRoutes();
});

type IdentityBody = { identity: { id: string; cookie: string } };

const askIdentity = (headers: Record<string, string> = {}) =>
  identity.POST(new Request('http://localhost/api/identity', { method: 'POST', headers }));

describe('POST /api/identity', () => {
  it('gives a client without a cookie an identity in one call: the cookie is set and returned, and the API takes it', async () => {
    const response = await askIdentity();
    expect(response.status).toBe(201);
    const { identity: given } = (await response.json()) as IdentityBody;
    expect(given.cookie).toMatch(new RegExp(`^${IDENTITY_COOKIE}=${given.id}\\.`));
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie.startsWith(`${given.cookie};`)).toBe(true);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');

    const chats = await routes.chats.GET(new Request('http://localhost/api/chats', { headers: { cookie: given.cookie } }));
    expect(chats.status).toBe(200);
  });

  it('keeps the identity a client already has, so a repeated call (curl -b jar -c jar) still reaches its chats', async () => {
    const { identity: first } = (await (await askIdentity()).json()) as IdentityBody;
    const chatId = `identity-${Date.now().toString(36)}`;
    const sent = await routes.messages.POST(
      new Request(`http://localhost/api/chats/${chatId}/messages`, {
        method: 'POST',
        headers: { cookie: first.cookie, 'content-type': 'application/json' },
        body: JSON.stringify(userMessage('What is 2 + 2?')),
      }),
      params({ id: chatId }),
    );
    expect(sent.status).toBe(200);
    await sent.text();

    const again = await askIdentity({ cookie: `other=1; ${first.cookie}` });
    expect(again.status).toBe(200);
    expect(((await again.json()) as IdentityBody).identity).toEqual(first);
    const chat = await routes.chat.GET(
      new Request(`http://localhost/api/chats/${chatId}`, { headers: { cookie: first.cookie } }),
      params({ id: chatId }),
    );
    expect(chat.status).toBe(200);
  });

  it('replaces a forged or foreign cookie with a new identity', async () => {
    const forged = signIdentity('someone', 'another-secret-0123456789abcdef0123456789');
    const response = await askIdentity({ cookie: `${IDENTITY_COOKIE}=${forged}` });
    expect(response.status).toBe(201);
    expect(((await response.json()) as IdentityBody).identity.id).not.toBe('someone');
  });

  it('refuses a cross-site request (403), and the rest of the API still answers 401 without a cookie', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Array<Record<string, string>>) {
      const response = await askIdentity(headers);
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('cross_site');
    }
    expect((await routes.chats.GET(new Request('http://localhost/api/chats'))).status).toBe(401);
  });
});
