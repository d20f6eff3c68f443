import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Response } from '@playwright/test';
import { ask, chooseModel, expect, lastAnswer, newChat, test, waitForRunEnd } from './fixtures';
import { sleep } from '@/tests/helpers/sleep';

/**
 * Untrusted model output, end to end: a fake OpenAI-compatible provider answers with hostile
 * markdown (scripts, handlers, javascript:/data: links, image beacons, frames, forms), and a
 * dedicated Maestro server (port 3411) uses it as `local:hostile`. Nothing may run, no request may
 * leave for another host, and a provider error carrying a key and the request body stays masked.
 */

const APP_PORT = Number(process.env.E2E_HOSTILE_PORT ?? 3411);
const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;
const FAKE_KEY = 'sk-test-SECRET-KEY-0123456789';
const ECHO_MARKER = 'REQUEST-BODY-ECHO';
const FAIL_MARKER = 'PLEASE-FAIL-NOW';
const DONE_MARKER = 'HOSTILE-ANSWER-END';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Every way an answer could try to run code or call another host. */
function hostileMarkdown(beacon: string): string {
  const pwn = (how: string) => `window.__pwned='${how}';document.title='pwned'`;
  return [
    '# Hostile answer',
    '',
    `<script>${pwn('script')}</script>`,
    '',
    `<img src=x onerror="${pwn('img-onerror')}">`,
    '',
    `<img src="${beacon}/raw-img.png">`,
    '',
    `<div onmouseover="${pwn('onmouseover')}" onclick="${pwn('onclick')}">hover or click me</div>`,
    '',
    `<svg onload="${pwn('svg-onload')}"><circle r="5"/></svg>`,
    '',
    `<a href="javascript:${pwn('raw-anchor')}">raw anchor</a>`,
    '',
    `[javascript link](javascript:${pwn('md-link')})`,
    '',
    `[tabbed scheme](<java\tscript:${pwn('tab-link')}>)`,
    '',
    `[upper case scheme](JaVaScRiPt:${pwn('case-link')})`,
    '',
    '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '',
    `[reference link][evil]`,
    '',
    `<javascript:${pwn('autolink')}>`,
    '',
    `![beacon](${beacon}/beacon.png)`,
    '',
    '![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)',
    '',
    `<iframe src="${beacon}/frame.html"></iframe>`,
    '',
    `<iframe srcdoc="<script>parent.${pwn('srcdoc')}</script>"></iframe>`,
    '',
    `<form action="${beacon}/form" method="post"><input name="q" value="x"><button type="submit">Submit form</button></form>`,
    '',
    `<object data="${beacon}/object.swf"></object><embed src="${beacon}/embed.swf">`,
    '',
    `<link rel="stylesheet" href="${beacon}/style.css"><style>body{background:url(${beacon}/style.png)}</style>`,
    '',
    `<meta http-equiv="refresh" content="0;url=${beacon}/refresh">`,
    '',
    `<base href="${beacon}/">`,
    '',
    'A [safe link](https://example.com/docs) and [mail](mailto:someone@example.com).',
    '',
    `${DONE_MARKER}`,
    '',
    `[evil]: javascript:${pwn('reference')}`,
  ].join('\n');
}

/** An OpenAI-style streaming answer of `text` in a few chunks, then [DONE]. */
function sseAnswer(text: string): string[] {
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-hostile',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'hostile',
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    })}\n\n`;
  const pieces: string[] = [];
  const size = Math.ceil(text.length / 6);
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces.map((piece) => chunk({ content: piece }, null)),
    chunk({}, 'stop', { usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } }),
    'data: [DONE]\n\n',
  ];
}

let beacon: Server | undefined;
let provider: Server | undefined;
let app: ChildProcess | undefined;
let dataDir: string | undefined;
const beaconHits: string[] = [];
const providerBodies: string[] = [];
let beaconOrigin = '';

test.describe('hostile model output', () => {
  test.use({ baseURL: APP_ORIGIN });

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    beacon = createServer((request, response) => {
      beaconHits.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    beaconOrigin = `http://127.0.0.1:${await listen(beacon)}`;

    provider = createServer((request, response) => {
      void readBody(request).then((body) => {
        providerBodies.push(body);
        if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
          response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
          return;
        }
        if (body.includes(FAIL_MARKER)) {
          // A provider error that echoes the key and the whole request (prompt included).
          const message = `Invalid API key ${request.headers.authorization ?? ''}. ${ECHO_MARKER}: ${body}`;
          response
            .writeHead(401, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: 'invalid_api_key' } }));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const events = sseAnswer(hostileMarkdown(beaconOrigin));
        let index = 0;
        const timer = setInterval(() => {
          const event = events[index++];
          if (event === undefined) {
            clearInterval(timer);
            response.end();
            return;
          }
          response.write(event);
        }, 20);
        response.on('close', () => clearInterval(timer));
      });
    });
    const providerPort = await listen(provider);

    dataDir = mkdtempSync(path.join(tmpdir(), 'maestro-hostile-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MAESTRO_DATA_DIR: dataDir,
      OPENAI_COMPATIBLE_BASE_URL: `http://127.0.0.1:${providerPort}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'hostile',
      OPENAI_COMPATIBLE_API_KEY: FAKE_KEY,
      MAESTRO_DEFAULT_MODEL: 'local:hostile',
      MAESTRO_RATE_LIMIT_PER_MINUTE: '0',
      MAESTRO_MODEL_RETRIES: '0',
      MAESTRO_ALLOW_IMAGES: 'false',
    };
    // Its own store: SQLite and the in-memory run log in the temp folder.
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    app = spawn('npx', ['next', 'start', '-p', String(APP_PORT), '-H', '127.0.0.1'], {
      env,
      stdio: 'ignore',
      detached: true, // its own process group: npx and next stop together
    });
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`${APP_ORIGIN}/api/models`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the hostile-provider server did not start on ${APP_ORIGIN}`);
      await sleep(250);
    }
  });

  test.afterAll(async () => {
    if (app?.pid !== undefined) {
      try {
        process.kill(-app.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await Promise.all([close(beacon), close(provider)]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Records every request of the test's browser context that goes anywhere but the app. */
  function watchRequests(page: Page): { foreign: string[] } {
    const record = { foreign: [] as string[] };
    page.context().on('request', (request) => {
      const url = request.url();
      if (new URL(url).origin !== APP_ORIGIN) record.foreign.push(url);
    });
    return record;
  }

  test('an answer full of scripts, handlers, bad links, beacons, frames and forms runs nothing and calls no one', async ({ page }) => {
    const requests = watchRequests(page);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    const first = await page.goto('/');
    const csp = first?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    for (const directive of [
      "default-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "object-src 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/img-src[^;]*http/); // images are off: no other host
    expect(csp).not.toContain('unsafe-eval');
    expect(first?.headers()['x-content-type-options']).toBe('nosniff');
    expect(first?.headers()['x-frame-options']).toBe('DENY');
    expect(first?.headers()['referrer-policy']).toBeTruthy();
    // A fresh nonce per page, and on API routes a policy that allows nothing.
    const nonceOf = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
    const second = await page.request.get('/');
    expect(nonceOf(second.headers()['content-security-policy'])).toBeTruthy();
    expect(nonceOf(second.headers()['content-security-policy'])).not.toBe(nonceOf(csp));
    for (const path of ['/api/models', '/api/chats']) {
      const api = await page.request.get(path);
      expect(api.ok(), path).toBe(true);
      expect(api.headers()['content-security-policy'], path).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(api.headers()['x-content-type-options'], path).toBe('nosniff');
    }

    await newChat(page);
    await chooseModel(page, 'hostile (local)');
    await ask(page, 'Say something hostile.');
    await waitForRunEnd(page);

    const answer = lastAnswer(page);
    await expect(answer).toContainText(DONE_MARKER);
    await expect(answer.locator('h1')).toHaveText('Hostile answer');
    // Raw HTML is not rendered at all, and no dangerous element or URL made it into the page.
    await expect(answer.locator('script, iframe, form, object, embed, img, svg[onload], style, link, meta, base')).toHaveCount(0);
    await expect(page.locator('iframe, object, embed, base, form:not([aria-label="Send a message"])')).toHaveCount(0);
    await expect(answer.locator('[onerror], [onload], [onclick], [onmouseover]')).toHaveCount(0);
    await expect(page.locator('a[href^="javascript:" i], a[href^="data:" i], a[href*="script:" i]')).toHaveCount(0);
    // The safe links open in a new tab without an opener or a referrer.
    const links = answer.locator('a[href]');
    await expect(links).toHaveCount(2);
    for (const link of await links.all()) {
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      expect(await link.getAttribute('href')).toMatch(/^(https:|mailto:)/);
    }
    // The dropped link keeps its text (not a link); images are off: a placeholder, no request.
    await expect(answer.getByText('javascript link')).toBeVisible();
    await expect(answer.getByText('[image: beacon]')).toBeVisible();

    // Interact with whatever is there: hover and click the text that carried handlers.
    await answer.getByText('javascript link').click();
    await answer.getByText('reference link').click();
    await page.waitForTimeout(500); // any late beacon or timer

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.title()).not.toContain('pwned');
    expect(dialogs).toEqual([]);
    expect(beaconHits).toEqual([]);
    expect(requests.foreign).toEqual([]);
    expect(page.url().startsWith(APP_ORIGIN)).toBe(true);

    // After a reload (the answer from the store, rendered by the server too): still nothing.
    await page.reload();
    await expect(lastAnswer(page)).toContainText(DONE_MARKER);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await expect(page.locator('iframe, object, embed, base, form:not([aria-label="Send a message"])')).toHaveCount(0);
    expect(beaconHits).toEqual([]);
    expect(requests.foreign).toEqual([]);
  });

  test.describe('a provider error', () => {
    test.use({ ignoreFailedRequests: true });

    test('that echoes the API key and the request body never reaches the page or its streams', async ({ page }) => {
      const requests = watchRequests(page);
      const bodies: Promise<string>[] = [];
      const apiPaths: string[] = [];
      // The app's own answers: its pages and its API (the event streams included), not its scripts.
      page.on('response', (response: Response) => {
        const url = new URL(response.url());
        if (url.origin !== APP_ORIGIN || url.pathname.startsWith('/_next/static/')) return;
        if (url.pathname.startsWith('/api/chats/')) apiPaths.push(url.pathname);
        bodies.push(response.text().catch(() => ''));
      });
      const before = providerBodies.length;

      await newChat(page);
      await chooseModel(page, 'hostile (local)');
      await ask(page, `Hello, ${FAIL_MARKER}`);
      const error = page.getByTestId('chat-error');
      await expect(error).toBeVisible({ timeout: 30_000 });
      await expect(log(page)).toHaveAttribute('aria-busy', 'false');

      // The provider was really called with the key, and answered with the key and the request.
      expect(providerBodies.length).toBeGreaterThan(before);
      expect(providerBodies.slice(before).some((body) => body.includes(FAIL_MARKER))).toBe(true);

      const secrets = [FAKE_KEY, 'sk-test-SECRET', `Bearer ${FAKE_KEY}`, ECHO_MARKER, '"stream":true', 'invalid_api_key'];
      const visible = await page.locator('body').innerText();
      for (const secret of secrets) expect(visible).not.toContain(secret);
      expect(visible).not.toMatch(/\n\s*at .+:\d+:\d+/); // no stack trace

      await page.reload();
      await expect(page.getByTestId('outcome-marker')).toHaveText('Failed');
      expect(apiPaths.length, "the run's stream was read").toBeGreaterThan(0);
      const html = await page.content();
      const all = [html, ...(await Promise.all(bodies))].join('\n');
      for (const secret of secrets) expect(all).not.toContain(secret);
      expect(requests.foreign).toEqual([]);
    });
  });
});

const log = (page: Page) => page.getByRole('log', { name: 'Conversation' });
