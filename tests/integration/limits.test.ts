import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityCookie, jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { loadRoutes, type Routes } from '@/tests/helpers/routes';

process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-limits-'));
process.env.MAESTRO_OFFLINE_DELAY_MS = '0';
process.env.MAESTRO_RATE_LIMIT_PER_MINUTE = '2';
process.env.MAESTRO_MAX_MESSAGE_CHARS = '1000';
process.env.MAESTRO_MAX_BODY_BYTES = '4096';
delete process.env.REDIS_URL;

let routes: Routes;
beforeAll(async () => {
  routes = await loadRoutes();
});

type ErrorBody = { error: { code: string; message: string } };

async function answer(response: Response): Promise<{ status: number; code?: string; message?: string }> {
  if (response.status < 400) {
    await response.body?.cancel();
    return { status: response.status };
  }
  const body = (await response.json()) as ErrorBody;
  return { status: response.status, code: body.error.code, message: body.error.message };
}

const send = (chatId: string, body: unknown, init: { identity?: string; headers?: Record<string, string> } = {}) =>
  routes.messages.POST(jsonRequest(`/api/chats/${chatId}/messages`, body, init), params({ id: chatId }));

const stop = (chatId: string, init: RequestInit & { identity?: string } = {}) => {
  const { identity, headers, ...rest } = init;
  return routes.stop.POST(
    new Request(`http://localhost/api/chats/${chatId}/stop`, {
      method: 'POST',
      ...rest,
      headers: { ...identityCookie(identity ?? 'stop-user'), ...(headers as Record<string, string> | undefined) },
    }),
    params({ id: chatId }),
  );
};

const remove = (chatId: string, headers: Record<string, string> = {}, identity = 'test-user') =>
  routes.chat.DELETE(plainRequest(`/api/chats/${chatId}`, { method: 'DELETE', headers, identity }), params({ id: chatId }));

async function chatExists(chatId: string, identity: string): Promise<boolean> {
  const response = await routes.chat.GET(plainRequest(`/api/chats/${chatId}`, { identity }), params({ id: chatId }));
  await response.body?.cancel();
  return response.status === 200;
}

describe('content types (415)', () => {
  it('accepts only application/json on POST messages', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      'application/json-patch+json',
      '',
    ]) {
      const response = await send('ct-chat', userMessage('hi'), { identity: 'ct-user', headers: { 'content-type': type } });
      expect(await answer(response), type).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    }
    const withCharset = await send('ct-chat', userMessage('hi'), {
      identity: 'ct-user',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect(withCharset.status).toBe(200);
    await withCharset.text();
  });

  it('takes an optional empty JSON body on POST stop; any other body is 415 or 400', async () => {
    await (await send('stop-body-chat', userMessage('hi'), { identity: 'stop-user' })).text();
    const ok = [
      await stop('stop-body-chat', { headers: { 'content-type': 'application/json' }, body: '{}' }),
      await stop('stop-body-chat', { headers: { 'content-type': 'application/json' }, body: ' { } ' }),
      await stop('stop-body-chat'),
      await stop('stop-body-chat', { headers: { 'content-type': 'application/json' } }),
    ];
    for (const response of ok) expect(await response.json()).toEqual({ stopped: false });
    expect(await answer(await stop('stop-body-chat', { headers: { 'content-type': 'text/plain' }, body: '{}' }))).toMatchObject({
      status: 415,
    });
    expect(await answer(await stop('stop-body-chat', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }))).toMatchObject({
      status: 415,
    });
    expect(await answer(await stop('stop-body-chat', { body: new Uint8Array([123, 125]) }))).toMatchObject({ status: 415 });
    expect(
      await answer(await stop('stop-body-chat', { headers: { 'content-type': 'application/json' }, body: '{"force":true}' })),
    ).toMatchObject({
      status: 400,
      code: 'invalid_body',
    });
    expect(await answer(await stop('stop-body-chat', { headers: { 'content-type': 'application/json' }, body: '[]' }))).toMatchObject({
      status: 400,
    });
    expect(
      await answer(await stop('stop-body-chat', { headers: { 'content-type': 'application/json' }, body: 'x'.repeat(5_000) })),
    ).toMatchObject({
      status: 413,
      code: 'body_too_large',
    });
  });
});

describe('cross-site requests (403)', () => {
  const crossSite: Array<Record<string, string>> = [
    { origin: 'https://evil.example' },
    { origin: 'http://localhost:3000' },
    { origin: 'https://localhost' },
    { origin: 'null' },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { 'sec-fetch-site': 'cross-site', origin: 'http://localhost' },
    { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' },
    { host: 'maestro.example', origin: 'http://localhost' },
  ];
  const sameSite: Array<Record<string, string>> = [
    {},
    { origin: 'http://localhost' },
    { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' },
    { 'sec-fetch-site': 'none' },
    { host: 'maestro.example', origin: 'http://maestro.example' },
    { host: 'internal:3000', 'x-forwarded-host': 'chat.example.com', 'x-forwarded-proto': 'https', origin: 'https://chat.example.com' },
  ];

  it('refuses POST messages, POST stop and DELETE from another site, and writes nothing', async () => {
    await (await send('victim-chat', userMessage('Mine'), { identity: 'victim' })).text();
    for (const headers of crossSite) {
      const label = JSON.stringify(headers);
      expect(await answer(await send('victim-chat', userMessage('Forged'), { identity: 'victim', headers })), label).toMatchObject({
        status: 403,
        code: 'cross_site',
      });
      expect(await answer(await send('new-chat-x', userMessage('Forged'), { identity: 'victim', headers })), label).toMatchObject({
        status: 403,
        code: 'cross_site',
      });
      expect(await answer(await stop('victim-chat', { identity: 'victim', headers })), label).toMatchObject({
        status: 403,
        code: 'cross_site',
      });
      expect(await answer(await remove('victim-chat', headers, 'victim')), label).toMatchObject({ status: 403, code: 'cross_site' });
    }
    expect(await chatExists('victim-chat', 'victim')).toBe(true);
    expect(await chatExists('new-chat-x', 'victim')).toBe(false);
  });

  it('lets requests from the site itself (or without browser headers) through', async () => {
    for (const [index, headers] of sameSite.entries()) {
      const label = JSON.stringify(headers);
      const identity = `same-site-${index}`;
      const sent = await send(`same-${index}`, userMessage('What is 1 + 1?'), { identity, headers });
      expect(sent.status, label).toBe(200);
      await sent.text();
      expect(await answer(await stop(`same-${index}`, { identity, headers })), label).toEqual({ status: 200 });
      expect(await answer(await remove(`same-${index}`, headers, identity)), label).toEqual({ status: 200 });
    }
  });
});

describe('sizes (413, message length)', () => {
  it('refuses a body over MAESTRO_MAX_BODY_BYTES with 413, by its declared length or by what arrives', async () => {
    expect(await answer(await send('big-chat', userMessage('x'.repeat(5_000)), { identity: 'size-user' }))).toMatchObject({
      status: 413,
      code: 'body_too_large',
    });
    const declared = await send('big-chat', userMessage('hi'), { identity: 'size-user', headers: { 'content-length': '999999' } });
    expect(await answer(declared)).toMatchObject({ status: 413, code: 'body_too_large' });
    // A streamed body without a declared length is cut off once it passes the limit.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"message":{"role":"user","parts":[{"type":"text","text":"'));
        for (let i = 0; i < 10; i += 1) controller.enqueue(new TextEncoder().encode('y'.repeat(1_000)));
        controller.enqueue(new TextEncoder().encode('"}]}}'));
        controller.close();
      },
    });
    const streamed = await routes.messages.POST(
      new Request('http://localhost/api/chats/big-chat/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...identityCookie('size-user') },
        body: chunks,
        duplex: 'half',
      } as RequestInit),
      params({ id: 'big-chat' }),
    );
    expect(await answer(streamed)).toMatchObject({ status: 413, code: 'body_too_large' });
    expect(await chatExists('big-chat', 'size-user')).toBe(false);
  });

  it('refuses a message over MAESTRO_MAX_MESSAGE_CHARS (all parts together) and accepts one at the limit', async () => {
    expect(await answer(await send('long-chat', userMessage('x'.repeat(1_001)), { identity: 'length-user' }))).toMatchObject({
      status: 400,
      code: 'message_too_long',
      message: 'The message is longer than 1000 characters.',
    });
    const split = {
      message: {
        role: 'user',
        parts: [
          { type: 'text', text: 'x'.repeat(600) },
          { type: 'text', text: 'x'.repeat(600) },
        ],
      },
    };
    expect(await answer(await send('long-chat', split, { identity: 'length-user' }))).toMatchObject({
      status: 400,
      code: 'message_too_long',
    });
    expect(await chatExists('long-chat', 'length-user')).toBe(false);
    const atLimit = await send('long-chat', userMessage('x'.repeat(1_000)), { identity: 'length-user' });
    expect(atLimit.status).toBe(200);
    await atLimit.text();
  });
});

describe('rate limit (429)', () => {
  it('refuses the run after MAESTRO_RATE_LIMIT_PER_MINUTE with Retry-After and a human message, per identity', async () => {
    for (const chatId of ['rate-1', 'rate-2']) {
      const response = await send(chatId, userMessage('What is 2 + 2?'), { identity: 'busy-user' });
      expect(response.status).toBe(200);
      await response.text();
    }
    const refused = await send('rate-3', userMessage('What is 2 + 2?'), { identity: 'busy-user' });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error).toEqual({ code: 'rate_limited', message: `Too many messages: try again in ${retryAfter} s.` });
    expect(await chatExists('rate-3', 'busy-user')).toBe(false);

    // Invalid requests are refused before they count; other identities have their own budget.
    expect((await send('rate-3', { message: {} }, { identity: 'busy-user' })).status).toBe(400);
    const other = await send('rate-other', userMessage('What is 2 + 2?'), { identity: 'calm-user' });
    expect(other.status).toBe(200);
    await other.text();
  });
});
