import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_COOKIE, signIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { chatPath } from '@/lib/wire';
import { identityCookie, jsonRequest, params, userMessage } from '@/tests/helpers/requests';
import { CHAT_ROUTE_TEMPLATES } from '@/tests/helpers/path-templates';

/**
 * Generated malformed requests, straight to the route handlers, from a seeded PRNG (the same
 * requests on every run): every answer must be a 4xx `{ error: { code, message } }`, nothing may be
 * written, and the app must still answer a normal request afterwards.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'maestro-fuzz-'));
process.env.MAESTRO_DATA_DIR = dataDir;
process.env.MAESTRO_OFFLINE_DELAY_MS = '0';
process.env.MAESTRO_RATE_LIMIT_PER_MINUTE = '0';
delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;

const SEED = 0x5eed_2026;
const REQUESTS = 1_500;
const OWNER = 'fuzz-owner';
const SEEDED_CHAT = 'fuzz-seeded-chat';

/** mulberry32: small, fast and deterministic. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}
type Random = ReturnType<typeof prng>;

type Routes = {
  messages: typeof import('@/app/api/chats/[id]/messages/route');
  stop: typeof import('@/app/api/chats/[id]/stop/route');
  active: typeof import('@/app/api/chats/[id]/active/route');
  chat: typeof import('@/app/api/chats/[id]/route');
  run: typeof import('@/app/api/chats/[id]/run/route');
  stream: typeof import('@/app/api/chats/[id]/stream/route');
  chats: typeof import('@/app/api/chats/route');
  models: typeof import('@/app/api/models/route');
};
let routes: Routes;

/** One generated request: what it is (for the failure report) and how to send it. */
type Case = { label: string; send: () => Promise<Response> };

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

// ---------------------------------------------------------------------------------------------
// Ingredients

const ODD_IDS = [
  '',
  ' ',
  '.',
  '..',
  '%2e%2e',
  '%2E%2E%2F',
  '../etc/passwd',
  '..\\..\\windows',
  'a/b',
  'a b',
  'a.b',
  'chat?x=1',
  'chat#x',
  '%00',
  '\u0000',
  '\n',
  'a'.repeat(65),
  'a'.repeat(200),
  'ünïcødé',
  '💥💥',
  'e\u0301',
  '\u202etxt.exe',
  '<script>alert(1)</script>',
  "'; DROP TABLE chats; --",
  '${jndi:ldap://x}',
];

function randomOddId(random: Random): string {
  if (random.next() < 0.6) return random.pick(ODD_IDS);
  const alphabet = ['a', 'Z', '0', '-', '_', '.', '/', '%', ' ', 'é', '💥', '\u0000', '\\', ':', '~'];
  for (;;) {
    const length = random.pick([0, 1, 3, 10, 64, 65, 200, 1_000]);
    const id = Array.from({ length }, () => random.pick(alphabet)).join('');
    if (!idSchema.safeParse(id).success) return id;
  }
}

/** Cookie headers that carry no valid identity. */
function badCookie(random: Random): Record<string, string> {
  const forgedSignature = signIdentity(OWNER).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  return random.pick<Record<string, string>>([
    {},
    { cookie: '' },
    { cookie: `${IDENTITY_COOKIE}=` },
    { cookie: `${IDENTITY_COOKIE}=${OWNER}` },
    { cookie: `${IDENTITY_COOKIE}=${OWNER}.` },
    { cookie: `${IDENTITY_COOKIE}=.${signIdentity(OWNER).split('.')[1]}` },
    { cookie: `${IDENTITY_COOKIE}=${forgedSignature}` },
    { cookie: `${IDENTITY_COOKIE}=${signIdentity(OWNER, 'another-secret-0123456789abcdef0123456789')}` },
    { cookie: `${IDENTITY_COOKIE}=${signIdentity('a'.repeat(65))}` },
    { cookie: `${IDENTITY_COOKIE}=${signIdentity('bad id!')}` },
    { cookie: `other=${signIdentity(OWNER)}` },
    { cookie: `${IDENTITY_COOKIE.toUpperCase()}=${signIdentity(OWNER)}` },
    { cookie: `${IDENTITY_COOKIE}=${'x'.repeat(8_000)}` },
    { cookie: `${IDENTITY_COOKIE}=\u00ff\u00fe.\u00e9` },
    { cookie: ';;;==;' },
  ]);
}

/** Headers of a cross-site browser request. */
function crossSite(random: Random): Record<string, string> {
  return random.pick<Record<string, string>>([
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { origin: 'http://localhost.evil.example' },
    { origin: 'http://localhost:8080' },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { 'sec-fetch-site': 'cross-site', origin: 'http://localhost' },
    { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' },
    { host: 'maestro.example', origin: 'http://localhost' },
  ]);
}

const BAD_CONTENT_TYPES = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/jsonp',
  'application/json-patch+json',
  'application/xml',
  'json',
  '*/*',
  'text/json',
];

const WRONG_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, '', 'x', [], [1], {}, { a: 1 }, '\u0000'];

const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const validBody = () => ({ message: { role: 'user', parts: [{ type: 'text', text: 'What is 2 + 2?' }] } }) as Record<string, unknown>;

type Json = Record<string, unknown>;

/** A valid message body changed in one way that makes it invalid; as JSON text or raw bytes. */
function malformedBody(random: Random): { label: string; body: string | Uint8Array<ArrayBuffer> } {
  const kind = random.pick([
    'bad-json',
    'wrong-type',
    'missing',
    'extra',
    'huge',
    'deep',
    'utf8',
    'empty-text',
    'too-many-parts',
    'bad-id',
    'bad-model',
  ] as const);
  const body = validBody();
  const message = body.message as Json;
  const part = (message.parts as Json[])[0] as Json;
  switch (kind) {
    case 'bad-json': {
      const texts = [
        '',
        ' ',
        '{',
        '}',
        '{"message":',
        '{"message":{}',
        "{'message':1}",
        '{"message":1,}',
        'NaN',
        'undefined',
        '[',
        '"',
        '\u0000',
        '{"a":1}{"b":2}',
        nestedArrays(10_000).slice(0, -1),
      ];
      if (random.next() < 0.3) {
        const noise = Array.from({ length: random.int(200) + 1 }, () => String.fromCharCode(32 + random.int(95))).join('');
        return { label: 'bad-json:noise', body: `{${noise}` };
      }
      return { label: 'bad-json', body: random.pick(texts) };
    }
    case 'wrong-type': {
      const target = random.pick(['root', 'message', 'role', 'parts', 'part', 'type', 'text', 'id', 'model'] as const);
      const value = random.pick(WRONG_VALUES);
      if (target === 'root')
        return { label: 'wrong-type:root', body: JSON.stringify(random.pick([null, 1, 'x', [], [validBody()], true])) };
      if (target === 'message') body.message = value;
      if (target === 'role') message.role = random.pick([...WRONG_VALUES, 'assistant', 'system', 'USER', 'user ']);
      if (target === 'parts') message.parts = random.pick([null, 1, 'text', {}, { 0: part }, true]);
      if (target === 'part') message.parts = [random.pick([null, 1, 'text', [], true])];
      if (target === 'type') part.type = random.pick([...WRONG_VALUES, 'image', 'file', 'TEXT', 'tool-calculator']);
      if (target === 'text') part.text = random.pick([null, 1, true, [], {}, ['a']]);
      if (target === 'id') message.id = random.pick([1, true, null, [], {}, '', '../x', 'a'.repeat(65)]);
      if (target === 'model')
        body.model = random.pick([1, true, null, [], {}, '', 'x'.repeat(201), 'nope:model', 'google:gemini-2.5-flash', '../../etc']);
      return { label: `wrong-type:${target}`, body: JSON.stringify(body) };
    }
    case 'missing': {
      const target = random.pick(['message', 'role', 'parts', 'type', 'text'] as const);
      if (target === 'message') delete body.message;
      if (target === 'role') delete message.role;
      if (target === 'parts') delete message.parts;
      if (target === 'type') delete part.type;
      if (target === 'text') delete part.text;
      return { label: `missing:${target}`, body: JSON.stringify(body) };
    }
    case 'extra': {
      const key = random.pick(['extra', '__proto__', 'constructor', 'messages', 'trigger', 'messageId', 'id', 'role', 'x'.repeat(1_000)]);
      const where = random.pick(['root', 'message', 'part'] as const);
      const value = random.pick(WRONG_VALUES);
      const target = where === 'root' ? body : where === 'message' ? message : part;
      // `role`/`id` are known keys of the message; at the root and in a part they are extras.
      if (where === 'message' && (key === 'role' || key === 'id'))
        return { label: 'extra:message-content', body: JSON.stringify({ ...body, content: 'hi' }) };
      if (where === 'part' && key === 'id')
        return { label: 'extra:part-id', body: JSON.stringify(body).replace('"type":"text"', '"id":"p1","type":"text"') };
      // JSON text, so that `__proto__` is a real own key, as it would arrive.
      const json = JSON.stringify(target === body ? { [key]: value, ...body } : body);
      const injected =
        target === body
          ? json.replace(/^\{"[^"]*"/, `{${JSON.stringify(key)}`)
          : target === message
            ? json.replace('"role":"user"', `${JSON.stringify(key)}:${JSON.stringify(value)},"role":"user"`)
            : json.replace('"type":"text"', `${JSON.stringify(key)}:${JSON.stringify(value)},"type":"text"`);
      return { label: `extra:${where}`, body: injected };
    }
    case 'huge': {
      const target = random.pick(['text-over-body', 'text-over-chars', 'model', 'id', 'key', 'array'] as const);
      if (target === 'text-over-body') part.text = 'x'.repeat(70_000 + random.int(100_000));
      if (target === 'text-over-chars') part.text = 'ü'.repeat(16_001 + random.int(5_000));
      if (target === 'model') body.model = 'm'.repeat(201 + random.int(50_000));
      if (target === 'id') message.id = 'i'.repeat(65 + random.int(50_000));
      if (target === 'key') body['k'.repeat(1_000 + random.int(50_000))] = 1;
      if (target === 'array') message.parts = Array.from({ length: 21 + random.int(3_000) }, () => ({ type: 'text', text: 'a' }));
      return { label: `huge:${target}`, body: JSON.stringify(body) };
    }
    case 'deep': {
      const depth = random.pick([1_000, 10_000, 30_000]);
      const nested = random.next() < 0.5 ? nestedArrays(depth) : nestedObjects(depth);
      const where = random.pick(['root', 'message', 'parts', 'text', 'model', 'extra'] as const);
      const json = JSON.stringify(body);
      const replaced = {
        root: nested,
        message: `{"message":${nested}}`,
        parts: json.replace(/"parts":\[.*\]/, `"parts":${nested}`),
        text: json.replace('"text":"What is 2 + 2?"', `"text":${nested}`),
        model: json.replace(/\}$/, `,"model":${nested}}`),
        extra: json.replace(/\}$/, `,"nested":${nested}}`),
      }[where];
      return { label: `deep:${where}:${depth}`, body: replaced };
    }
    case 'utf8': {
      const invalid = random.pick([
        [0xff],
        [0xfe, 0xff],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xe2, 0x82],
        [0x80],
        [0xf8, 0x88, 0x80, 0x80, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
      ]);
      const [head, tail] = JSON.stringify(body).split('2 + 2') as [string, string];
      const bytes = new Uint8Array([...new TextEncoder().encode(head), ...invalid, ...new TextEncoder().encode(tail)]);
      return { label: `utf8:${invalid.map((b) => b.toString(16)).join('')}`, body: bytes };
    }
    case 'empty-text':
      part.text = random.pick(['', ' ', '\n\t ', '\u00a0'.repeat(0) + '   ']);
      return { label: 'empty-text', body: JSON.stringify(body) };
    case 'too-many-parts':
      message.parts = random.pick([[], Array.from({ length: 21 }, () => ({ type: 'text', text: 'a' }))]);
      return { label: 'parts-count', body: JSON.stringify(body) };
    case 'bad-id':
      message.id = randomOddId(random);
      if (idSchema.safeParse(message.id).success) message.id = '..';
      return { label: 'message-id', body: JSON.stringify(body) };
    case 'bad-model':
      body.model = random.pick(['nope:model', 'offline:', ':', 'google:gemini-2.5-flash', 'openai:gpt-x', 'offline:maestro\u0000']);
      return { label: 'model', body: JSON.stringify(body) };
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

const url = (chatId: string, rest = '') => `http://localhost${chatPath(chatId)}${rest}`;

function request(
  target: string,
  init: { method: string; headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> },
): Request {
  return new Request(target, { method: init.method, headers: init.headers, body: init.body });
}

const owner = () => identityCookie(OWNER);
const json = { 'content-type': 'application/json' };
const validJson = () => JSON.stringify(userMessage('What is 2 + 2?'));

function messagesCase(random: Random): Case {
  const send = (label: string, chatId: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>): Case => ({
    label: `messages ${label}`,
    send: () => routes.messages.POST(request(url(chatId, '/messages'), { method: 'POST', headers, body }), params({ id: chatId })),
  });
  const chatId = random.next() < 0.5 ? SEEDED_CHAT : `fuzz-new-${random.int(1_000_000)}`;
  const kind = random.pick(['body', 'body', 'body', 'body', 'id', 'cookie', 'content-type', 'cross-site'] as const);
  if (kind === 'body') {
    const { label, body } = malformedBody(random);
    return send(`body ${label}`, chatId, { ...json, ...owner() }, body);
  }
  if (kind === 'id') return send('chat-id', randomOddId(random), { ...json, ...owner() }, validJson());
  if (kind === 'cookie') return send('cookie', chatId, { ...json, ...badCookie(random) }, validJson());
  if (kind === 'content-type') {
    const type = random.pick([...BAD_CONTENT_TYPES, null]);
    return send(`content-type ${type}`, chatId, { ...(type === null ? {} : { 'content-type': type }), ...owner() }, validJson());
  }
  return send('cross-site', chatId, { ...json, ...owner(), ...crossSite(random) }, validJson());
}

/** A POST of a small JSON body to a chat's route (`/stop`, `/active`): odd ids, cookies, bodies, types, origins, strangers. */
function smallPostCase(name: 'stop' | 'active', valid: string, random: Random): Case {
  const send = (label: string, chatId: string, headers: Record<string, string>, body?: string | Uint8Array<ArrayBuffer>): Case => ({
    label: `${name} ${label}`,
    send: () => routes[name].POST(request(url(chatId, `/${name}`), { method: 'POST', headers, body }), params({ id: chatId })),
  });
  const kind = random.pick(['id', 'cookie', 'body', 'content-type', 'cross-site', 'stranger'] as const);
  if (kind === 'id') return send('chat-id', randomOddId(random), { ...json, ...owner() }, valid);
  if (kind === 'cookie') return send('cookie', SEEDED_CHAT, { ...json, ...badCookie(random) }, valid);
  if (kind === 'body') {
    const body = random.pick([
      '{"force":true}',
      '[]',
      'null',
      '1',
      '"x"',
      '{',
      nestedArrays(10_000),
      `{"x":"${'y'.repeat(2_000)}"}`,
      '{"__proto__":{}}',
      '{"messageId":null}',
      '{"messageId":"../etc"}',
      `{"messageId":"${'m'.repeat(65)}"}`,
      '{"messageId":["a"]}',
      '{"messageId":"unknown-message"}',
    ]);
    return send('body', SEEDED_CHAT, { ...json, ...owner() }, body);
  }
  if (kind === 'content-type') {
    const type = random.pick([...BAD_CONTENT_TYPES, null]);
    return send(`content-type ${type}`, SEEDED_CHAT, { ...(type === null ? {} : { 'content-type': type }), ...owner() }, valid);
  }
  if (kind === 'stranger') return send('stranger', SEEDED_CHAT, { ...json, ...identityCookie(`stranger-${random.int(100)}`) }, valid);
  return send('cross-site', SEEDED_CHAT, { ...json, ...owner(), ...crossSite(random) }, valid);
}

function deleteCase(random: Random): Case {
  const send = (label: string, chatId: string, headers: Record<string, string>): Case => ({
    label: `delete ${label}`,
    send: () => routes.chat.DELETE(request(url(chatId), { method: 'DELETE', headers }), params({ id: chatId })),
  });
  const kind = random.pick(['id', 'cookie', 'cross-site', 'stranger'] as const);
  if (kind === 'id') return send('chat-id', randomOddId(random), owner());
  if (kind === 'cookie') return send('cookie', SEEDED_CHAT, badCookie(random));
  if (kind === 'stranger') return send('stranger', SEEDED_CHAT, identityCookie(`stranger-${random.int(100)}`));
  return send('cross-site', SEEDED_CHAT, { ...owner(), ...crossSite(random) });
}

function getCase(random: Random): Case {
  const route = random.pick(['chat', 'run', 'stream', 'chats'] as const);
  const badId = random.next() < 0.5;
  const chatId = badId ? randomOddId(random) : SEEDED_CHAT;
  const headers = badId ? owner() : badCookie(random);
  if (route === 'chats') {
    return {
      label: 'get chats cookie',
      send: () => routes.chats.GET(request('http://localhost/api/chats', { method: 'GET', headers: badCookie(random) })),
    };
  }
  const rest = route === 'chat' ? '' : `/${route}`;
  return {
    label: `get ${route} ${badId ? 'chat-id' : 'cookie'}`,
    send: () => routes[route].GET(request(url(chatId, rest), { method: 'GET', headers }), params({ id: chatId })),
  };
}

function generateCases(count: number): Case[] {
  const random = prng(SEED);
  return Array.from({ length: count }, () => {
    const roll = random.next();
    if (roll < 0.55) return messagesCase(random);
    if (roll < 0.63) return smallPostCase('stop', '{}', random);
    if (roll < 0.7) return smallPostCase('active', '{"messageId":"unknown-message"}', random);
    if (roll < 0.8) return deleteCase(random);
    return getCase(random);
  });
}

// ---------------------------------------------------------------------------------------------

function countRows(): Record<'chats' | 'messages' | 'runs', number> {
  const db = new DatabaseSync(path.join(dataDir, 'maestro.db'), { readOnly: true });
  try {
    const count = (table: string) => Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number | bigint }).n);
    return { chats: count('chats'), messages: count('messages'), runs: count('runs') };
  } finally {
    db.close();
  }
}

async function sendValid(chatId: string): Promise<Response> {
  return routes.messages.POST(
    jsonRequest(`/api/chats/${chatId}/messages`, userMessage('What is 2 + 2?'), { identity: OWNER }),
    params({ id: chatId }),
  );
}

beforeAll(async () => {
  routes = {
    messages: await import('@/app/api/chats/[id]/messages/route'),
    stop: await import('@/app/api/chats/[id]/stop/route'),
    active: await import('@/app/api/chats/[id]/active/route'),
    chat: await import('@/app/api/chats/[id]/route'),
    run: await import('@/app/api/chats/[id]/run/route'),
    stream: await import('@/app/api/chats/[id]/stream/route'),
    chats: await import('@/app/api/chats/route'),
    models: await import('@/app/api/models/route'),
  };
  const seeded = await sendValid(SEEDED_CHAT);
  expect(seeded.status).toBe(200);
  await seeded.text();
});

afterAll(async () => {
  const { closeStore } = await import('@/lib/store');
  await closeStore();
});

describe('route handlers under generated malformed requests', () => {
  it('export only the methods they serve (others are answered 405 by Next, never by our code)', () => {
    const methods = (module: object) =>
      Object.keys(module)
        .filter((key) => HTTP_METHODS.includes(key))
        .sort();
    expect(methods(routes.messages)).toEqual(['POST']);
    expect(methods(routes.stop)).toEqual(['POST']);
    expect(methods(routes.active)).toEqual(['POST']);
    expect(methods(routes.chat)).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(methods(routes.run)).toEqual(['GET']);
    expect(methods(routes.stream)).toEqual(['GET']);
    expect(methods(routes.chats)).toEqual(['GET']);
    expect(methods(routes.models)).toEqual(['GET']);
    expect('GET' in routes.messages).toBe(false);
    expect('PUT' in routes.chat).toBe(false);
  });

  it(`answers ${REQUESTS} malformed requests with 4xx JSON errors, writes nothing, and still serves`, { timeout: 120_000 }, async () => {
    const cases = generateCases(REQUESTS);
    // The same seed gives the same requests.
    expect(generateCases(20).map((c) => c.label)).toEqual(cases.slice(0, 20).map((c) => c.label));
    const before = countRows();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const [index, testCase] of cases.entries()) {
      const response = await testCase.send();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const ok =
        response.status >= 400 &&
        response.status < 500 &&
        (response.headers.get('content-type') ?? '').startsWith('application/json') &&
        typeof error?.code === 'string' &&
        error.code !== '' &&
        typeof error.message === 'string' &&
        error.message !== '' &&
        error.message.length <= 1_000 &&
        !/\n\s+at /.test(text);
      if (!ok) failures.push(`#${index} ${testCase.label}: ${response.status} ${text.slice(0, 200)}`);
    }
    console.log(`fuzz: ${cases.length} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures.slice(0, 30)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(1_000);
    // Every kind of refusal was exercised.
    for (const status of [400, 401, 403, 404, 413, 415]) expect(statuses.get(status), `status ${status}`).toBeGreaterThan(0);

    expect(countRows()).toEqual(before);

    // Still serving: the seeded chat is intact and a normal message gets its answer.
    const seeded = await routes.chat.GET(request(url(SEEDED_CHAT), { method: 'GET', headers: owner() }), params({ id: SEEDED_CHAT }));
    expect(seeded.status).toBe(200);
    expect(((await seeded.json()) as { messages: unknown[] }).messages).toHaveLength(2);
    const after = await sendValid('fuzz-after');
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('data: [DONE]');
    expect(countRows()).toEqual({ chats: before.chats + 1, messages: before.messages + 2, runs: before.runs + 1 });
  });
});

// ---------------------------------------------------------------------------------------------
// Paths that do not decode. Next.js decodes a dynamic route's parameters before the handler runs
// and answers a path it cannot decode with a bare 500; the proxy answers first. (The same paths
// are sent to a production server in tests/e2e/bad-requests.spec.ts.)

/** Percent-encodings that are not UTF-8: truncated, overlong, surrogates, bytes that never occur. */
const BROKEN_ENCODINGS = [
  '%',
  '%%',
  '%E',
  '%zz',
  '%E2%82',
  '%E2%82%',
  '%C0%AF',
  '%C1%BF',
  '%E0%80%AF',
  '%F0%80%80%AF',
  '%ED%A0%80',
  '%ED%BF%BF',
  '%ED%A0%80%ED%B0%80',
  '%FF',
  '%FE%FF',
  '%80',
  '%F8%88%80%80%80',
  '%F4%90%80%80',
];

/** Every route and page, with `{}` where a broken piece goes. */
const PATH_TEMPLATES = [
  ...CHAT_ROUTE_TEMPLATES,
  '/api/chats{}',
  '/api/models/{}',
  '/api/{}',
  '/chat/{}',
  '/chat/x{}',
  '/chat/{}/more',
  '/{}',
];

/** The path a proxy response rewrites to (the header Next reads), or undefined. */
const rewrittenTo = (response: Response) => {
  const target = response.headers.get('x-middleware-rewrite');
  return target === null ? undefined : new URL(target).pathname;
};

function brokenPaths(random: Random): string[] {
  const paths: string[] = [];
  for (const template of PATH_TEMPLATES) {
    for (const broken of BROKEN_ENCODINGS) {
      // Alone, after valid text, and between valid encodings.
      const piece = random.pick([broken, `chat-${broken}`, `%41${broken}%42`, `${broken}x`]);
      paths.push(template.replace('{}', piece));
    }
  }
  return paths;
}

describe('paths that are not valid percent-encoding', () => {
  const paths = brokenPaths(prng(SEED));
  // Loaded after the route handlers (beforeAll above): Next's request storage must be set up first.
  let proxyModule: typeof import('@/proxy');
  let NextRequest: typeof import('next/server').NextRequest;
  let matches: (url: string) => boolean;
  beforeAll(async () => {
    proxyModule = await import('@/proxy');
    ({ NextRequest } = await import('next/server'));
    const { unstable_doesMiddlewareMatch } = await import('next/experimental/testing/server');
    matches = (url) => unstable_doesMiddlewareMatch({ config: proxyModule.config, url });
  });
  const proxy = (request: InstanceType<typeof NextRequest>) => proxyModule.proxy(request);
  const methodsOf = (path: string) => (path.startsWith('/api/') ? ['GET', 'POST', 'DELETE', 'PATCH'] : ['GET', 'HEAD']);

  it('reach the proxy, API paths and pages alike', () => {
    const missed = paths.filter((path) => !matches(path));
    expect(missed).toEqual([]);
  });

  it(`are answered 400 JSON on the API and with the not-found page elsewhere (${paths.length} paths)`, async () => {
    const failures: string[] = [];
    for (const path of paths) {
      for (const method of methodsOf(path)) {
        const response = await proxy(new NextRequest(`http://localhost${path}`, { method, headers: owner() }));
        if (path.startsWith('/api/')) {
          const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
          if (response.status !== 400 || body?.error?.code !== 'invalid_path') failures.push(`${method} ${path}: ${response.status}`);
        } else if (rewrittenTo(response) !== '/not-found') {
          failures.push(`${method} ${path}: not rewritten to the not-found page`);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('leave well-formed paths alone, with or without a `%`', async () => {
    for (const path of ['/chat/abc', '/chat/%41bc', '/chat/%00', '/api/chats/%41bc', '/api/chats/%00/messages']) {
      const response = await proxy(new NextRequest(`http://localhost${path}`, { headers: owner() }));
      expect(response.status, path).toBe(200);
      expect(rewrittenTo(response), path).toBeUndefined();
    }
    // A normal API path does not pass through the proxy at all.
    expect(matches('/api/chats/abc/messages')).toBe(false);
  });

  it('answer a page asked with another method than GET or HEAD 405, with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await proxy(new NextRequest('http://localhost/chat/abc', { method }));
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });
});
