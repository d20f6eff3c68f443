import type { Locator, Page } from '@playwright/test';
import {
  LONG_QUESTION,
  ask,
  bubble,
  expect,
  lastAnswer,
  log,
  newChat,
  sendButton,
  stopButton,
  test,
  textLength,
  waitForRunEnd,
} from './fixtures';
import { RUN_POLL_MS } from '@/components/chat/session/use-active-run-poll';

/**
 * Runs are durable and every page is a subscriber: a reload re-attaches, other pages of the same
 * browser (the same identity) follow a run live and can stop it, and another identity sees nothing.
 */

const answerTexts = (page: Page): Locator => lastAnswer(page).getByTestId('assistant-text');
const textbox = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' });

/** Notes a timing in the report (and on the console of the test run). */
function note(what: string, ms: number): void {
  test.info().annotations.push({ type: 'timing', description: `${what}: ${ms} ms` });
  console.log(`[timing] ${what}: ${ms} ms`);
}

/**
 * Watches every change of the page and keeps, with the time (epoch ms, the clock of this machine):
 * when the status bubble and the user message first showed, and each change of the length of the
 * last answer's text while the answer streams (the log is busy). A mutation observer sees every
 * committed change, where a timer could be starved on a loaded machine.
 */
async function watchRun(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = { bubbleAt: 0, questionAt: 0, lengths: [] as Array<[number, number]> };
    (window as unknown as { __run: typeof record }).__run = record;
    new MutationObserver(() => {
      const now = Date.now();
      if (!record.bubbleAt && document.querySelector('[data-testid="status-bubble"]')) record.bubbleAt = now;
      if (!record.questionAt && document.querySelector('[data-testid="user-message"]')) record.questionAt = now;
      if (document.querySelector('[data-testid="message-log"]')?.getAttribute('aria-busy') !== 'true') return;
      const answers = document.querySelectorAll('[data-testid="assistant-message"]');
      const text = answers[answers.length - 1]?.querySelector('[data-testid="assistant-text"]')?.textContent ?? '';
      if (text.length > 0 && record.lengths.at(-1)?.[1] !== text.length) record.lengths.push([now, text.length]);
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

type RunRecord = { bubbleAt: number; questionAt: number; lengths: Array<[number, number]> };

async function readRun(page: Page): Promise<RunRecord> {
  return page.evaluate(() => (window as unknown as { __run: RunRecord }).__run);
}

/** How many times the answer's text was seen to grow. */
const growthOf = (run: RunRecord): number => run.lengths.filter(([, length], i) => i > 0 && length > (run.lengths[i - 1]?.[1] ?? 0)).length;

/** While a run is active the composer does not send: with text in the box, its one button stops the answer. */
async function expectComposerClosed(page: Page): Promise<void> {
  await textbox(page).fill('Another question');
  await expect(stopButton(page)).toBeVisible();
  await expect(sendButton(page)).toHaveCount(0);
  await textbox(page).fill('');
}

test('a reload mid-answer re-attaches: the answer goes on live, appears once, and equals the saved one', async ({ page }) => {
  await newChat(page);
  // About 15 s of answer: still going once the reloaded page has attached, however loaded the machine.
  await ask(page, 'Explain how Maestro streams answers, in about 600 words.');
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(150);
  const beforeReload = await textLength(answerTexts(page));

  const reloadedAt = Date.now();
  await page.reload();
  await watchRun(page);
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(bubble(page)).toBeVisible();
  await expect(log(page)).toHaveAttribute('aria-busy', 'true');
  await expect(stopButton(page)).toBeVisible();
  await expectComposerClosed(page);
  // Replayed from the start, then live: the text grows past what was there before the reload.
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(beforeReload);

  await waitForRunEnd(page);
  const run = await readRun(page);
  const firstText = run.lengths[0];
  expect(firstText, 'the answer showed after the reload').toBeDefined();
  note('reload → replayed answer on the page', (firstText?.[0] ?? 0) - reloadedAt);
  expect(growthOf(run), `lengths after the reload: ${run.lengths.map(([, l]) => l).join(', ')}`).toBeGreaterThanOrEqual(5);

  const live = await answerTexts(page).allTextContents();
  const whole = live.join('\n');
  const opening = whole.slice(0, 80);
  expect(whole.indexOf(opening), 'the answer is not duplicated').toBe(whole.lastIndexOf(opening));
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);

  // What the page showed live is what the server saved.
  await page.reload();
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(answerTexts(page)).toHaveText(live);
  await expect(lastAnswer(page).getByTestId('message-meta')).toContainText('offline:maestro');
  await expect(bubble(page)).toHaveCount(0);
});

test('other pages of the same browser follow a run live: one opened before it started, one opened during it', async ({ page, context }) => {
  test.setTimeout(120_000);
  const id = await newChat(page);
  const idle = await context.newPage();
  await idle.goto(`/chat/${id}`);
  await expect(textbox(idle)).toBeEditable();
  await watchRun(idle);
  // The page that sends follows its own stream; it does not poll while the run is going.
  const polls: number[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/chats/${id}/run`) polls.push(Date.now());
  });

  const sentAt = Date.now();
  // A long answer, stopped once both followers have seen it grow: a page opened during it still
  // sees it grow however loaded the machine, and the test does not wait for its end.
  const question = 'Explain how Maestro streams answers, in about 2000 words.';
  await ask(page, question);
  await expect(bubble(page)).toBeVisible();

  // The idle page sees the run within a second or two: the question, the status, the growing answer.
  await expect(idle.getByTestId('user-message')).toHaveText(question, { timeout: 4_000 });
  await expect(bubble(idle)).toBeVisible({ timeout: 4_000 });
  await expect.poll(() => textLength(answerTexts(idle)), { timeout: 4_000 }).toBeGreaterThan(0);
  const seenAt = Date.now();
  await expect(stopButton(idle)).toBeVisible();
  await expectComposerClosed(idle);

  // A page opened while the run is going joins it from its start.
  const openedAt = Date.now();
  const during = await context.newPage();
  await during.goto(`/chat/${id}`);
  await watchRun(during);
  await expect(bubble(during)).toBeVisible();
  await expect.poll(() => textLength(answerTexts(during))).toBeGreaterThan(0);
  note('page opened mid-run → answer text shown', Date.now() - openedAt);
  for (const follower of [idle, during]) {
    await expect.poll(async () => growthOf(await readRun(follower)), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
  }
  await stopButton(page).click();

  await Promise.all([waitForRunEnd(page), waitForRunEnd(idle), waitForRunEnd(during)]);
  const idleRun = await readRun(idle);
  note('idle page: send → question shown', idleRun.questionAt - sentAt);
  note('idle page: send → status bubble shown', idleRun.bubbleAt - sentAt);
  note('idle page: send → first answer text', (idleRun.lengths[0]?.[0] ?? seenAt) - sentAt);
  // Typically about 1 s (one poll period); the bound leaves room for a loaded machine.
  expect(idleRun.bubbleAt - sentAt, 'the idle page showed the run within a second or two').toBeLessThan(3_000);
  for (const follower of [idleRun, await readRun(during)]) {
    expect(growthOf(follower), 'the followers saw the text grow, not appear at once').toBeGreaterThanOrEqual(5);
  }
  const sent = await answerTexts(page).allTextContents();
  await expect(answerTexts(idle)).toHaveText(sent);
  await expect(answerTexts(during)).toHaveText(sent);
  await expect(idle.getByTestId('assistant-message')).toHaveCount(1);
  await expect(during.getByTestId('assistant-message')).toHaveCount(1);
  const pollsWhileStreaming = polls.filter((at) => at > sentAt + 500 && at < seenAt);
  expect(pollsWhileStreaming, 'the sending page does not poll while it streams').toEqual([]);

  // A tool question asked on one page shows its tool card on the others.
  const toolAskedAt = Date.now();
  await ask(page, 'What is 17 * 23?');
  for (const follower of [idle, during]) {
    const card = follower.locator('[data-testid="tool-card"][data-tool-name="calculator"]');
    await expect(card).toBeVisible({ timeout: 4_000 });
    await expect(card).toHaveAttribute('data-state', 'done');
    await expect(card.getByTestId('tool-output')).toContainText('391');
  }
  note('tool question → tool card on both followers', Date.now() - toolAskedAt);
  await Promise.all([waitForRunEnd(page), waitForRunEnd(idle), waitForRunEnd(during)]);
  await expect(answerTexts(idle)).toContainText('391');
  await expect(idle.getByTestId('user-message')).toHaveCount(2);
  await expect(during.getByTestId('user-message')).toHaveCount(2);
});

test('Stop from another page ends the run everywhere; the partial answer is saved as stopped', async ({ page, context }) => {
  const id = await newChat(page);
  // A long answer (it is stopped long before its end): still going when the other page has loaded, however loaded the machine.
  await ask(page, 'Explain how Maestro streams answers, in about 2000 words.');
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(100);
  await watchRun(page);

  const other = await context.newPage();
  await other.goto(`/chat/${id}`);
  await expect.poll(() => textLength(answerTexts(other))).toBeGreaterThan(0);
  const stoppedAt = Date.now();
  await stopButton(other).click();

  // The page that asked stops growing within about a second and says "Stopped".
  await expect(page.getByTestId('outcome-marker')).toHaveText('Stopped', { timeout: 4_000 });
  note('Stop on page 2 → "Stopped" on page 1', Date.now() - stoppedAt);
  await expect(log(page)).toHaveAttribute('aria-busy', 'false');
  await expect(bubble(page)).toHaveCount(0);
  await expect(stopButton(page)).toHaveCount(0);
  const partial = await answerTexts(page).allTextContents();
  await page.waitForTimeout(1_000);
  await expect(answerTexts(page)).toHaveText(partial);
  const { lengths } = await readRun(page);
  const lastGrowth = lengths.at(-1)?.[0] ?? stoppedAt;
  note('Stop on page 2 → last growth of the text on page 1', lastGrowth - stoppedAt);
  // Typically 0.3–0.7 s; the bound leaves room for a loaded machine (the run itself would go on for 10 s).
  expect(lastGrowth - stoppedAt, 'the text stopped growing within about a second').toBeLessThan(3_000);

  // The page that stopped it agrees, and its composer works again.
  await expect(other.getByTestId('outcome-marker')).toHaveText('Stopped');
  await expect(answerTexts(other)).toHaveText(partial);
  await expect(stopButton(other)).toHaveCount(0);
  await textbox(other).fill('Hello again');
  await expect(sendButton(other)).toBeEnabled();

  // The server saved the partial answer, marked stopped.
  await page.reload();
  await expect(page.getByTestId('outcome-marker')).toHaveText('Stopped');
  await expect(answerTexts(page)).toHaveText(partial);
  expect(partial.join('').length).toBeGreaterThan(100);
});

/** Makes the page believe it is hidden or shown (as switching tabs does), and tells it so. */
async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((next) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => next === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

test('a hidden page does not poll; shown again, it catches up with the run at once', async ({ page, context }) => {
  const id = await newChat(page);
  const background = await context.newPage();
  await background.goto(`/chat/${id}`);
  await expect(textbox(background)).toBeEditable();
  await setVisibility(background, 'hidden');
  const polls: number[] = [];
  background.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/chats/${id}/run`) polls.push(Date.now());
  });

  await ask(page, LONG_QUESTION);
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(0);
  await page.waitForTimeout(2_000);
  expect(polls, 'no polling while hidden').toEqual([]);
  await expect(background.getByTestId('user-message')).toHaveCount(0);

  const shownAt = Date.now();
  await setVisibility(background, 'visible');
  await expect(bubble(background)).toBeVisible();
  await expect.poll(() => textLength(answerTexts(background))).toBeGreaterThan(0);
  note('hidden page shown → following the run', Date.now() - shownAt);
  // Shown, it asks at once, not a poll period later.
  expect(polls[0]! - shownAt, 'the first poll after the page was shown').toBeLessThan(RUN_POLL_MS);

  await Promise.all([waitForRunEnd(page), waitForRunEnd(background)]);
  await expect(answerTexts(background)).toHaveText(await answerTexts(page).allTextContents());
});

test('a page rendered mid-run whose run ends before it attaches (204) shows the saved answer', async ({ page, context }) => {
  const id = await newChat(page);
  // A long answer (it is stopped long before its end): still going when the other page has loaded, however loaded the machine.
  await ask(page, 'Explain how Maestro streams answers, in about 2000 words.');
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(100);

  const late = await context.newPage();
  // Its reattach is held until the run is over (stopped here, to be quick, once the page has been
  // seen waiting for it); then it finds nothing.
  const seenWaiting = Promise.withResolvers<void>();
  await late.route(`**/api/chats/${id}/stream`, async (route) => {
    await seenWaiting.promise;
    await late.request.post(`/api/chats/${id}/stop`);
    await expect.poll(async () => ((await (await late.request.get(`/api/chats/${id}/run`)).json()) as { run: unknown }).run).toBeNull();
    await route.fulfill({ status: 204 });
  });
  const reloads: string[] = [];
  late.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/chats/${id}`) reloads.push(request.method());
  });
  await late.goto(`/chat/${id}`);
  await expect(bubble(late)).toBeVisible(); // rendered with the active run: "Connecting…"
  seenWaiting.resolve();

  await expect(late.getByTestId('outcome-marker')).toHaveText('Stopped');
  await waitForRunEnd(late);
  expect(reloads, 'the chat was loaded again after the 204').toContain('GET');
  await waitForRunEnd(page);
  await expect(answerTexts(late)).toHaveText(await answerTexts(page).allTextContents());
  await expect(late.getByTestId('assistant-message')).toHaveCount(1);
  await textbox(late).fill('Next question');
  await expect(sendButton(late)).toBeEnabled();
});

test.describe('another identity', () => {
  // Its visit to the owner's chat is a 404 document, which Chromium reports on the console.
  test.use({ ignoreFailedRequests: true });

  test('sees none of the chats, gets the not-found page and 404 from the API', async ({ page, browser, watch }) => {
    const id = await newChat(page);
    await ask(page, 'What is 17 * 23?');
    await waitForRunEnd(page);
    await expect(page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`)).toHaveCount(1);
    const mine = await page.request.get(`/api/chats/${id}`);
    expect(mine.status()).toBe(200);

    const stranger = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    try {
      const other = await stranger.newPage();
      watch(other);
      const otherId = await newChat(other);
      expect(otherId).not.toBe(id);
      await expect(other.getByTestId('chat-list-item')).toHaveCount(0);
      await expect(other.getByTestId('chat-list')).toContainText('No chats yet');

      const response = await other.goto(`/chat/${id}`);
      expect(response?.status()).toBe(404);
      await expect(other.getByRole('heading', { name: 'Not found' })).toBeVisible();
      await expect(other.getByText('17 * 23')).toHaveCount(0);

      for (const [method, path] of [
        ['GET', ''],
        ['GET', '/run'],
        ['GET', '/stream'],
        ['POST', '/stop'],
        ['DELETE', ''],
      ] as const) {
        const answer = await stranger.request.fetch(`/api/chats/${id}${path}`, { method });
        expect(answer.status(), `${method} /api/chats/{id}${path}`).toBe(404);
        expect(((await answer.json()) as { error?: { code?: string } }).error?.code).toBeTruthy();
      }
      const send = await stranger.request.post(`/api/chats/${id}/messages`, {
        data: { message: { role: 'user', parts: [{ type: 'text', text: 'Hello' }] } },
      });
      expect(send.status()).toBe(404);
      const list = (await (await stranger.request.get('/api/chats')).json()) as { chats: Array<{ id: string }> };
      expect(list.chats.some((chat) => chat.id === id)).toBe(false);
    } finally {
      await stranger.close();
    }
    // The owner still has it.
    expect((await page.request.get(`/api/chats/${id}`)).status()).toBe(200);
  });
});

test.describe('a send that meets a running run', () => {
  test.use({ ignoreFailedRequests: true });

  test('is refused with its message, and the page then follows the run', async ({ page, context }) => {
    const id = await newChat(page);
    const late = await context.newPage();
    // This page does not learn of the run (its polls answer "no run"), so it sends into it.
    await late.route(`**/api/chats/${id}/run`, (route) => route.fulfill({ json: { run: null } }));
    await late.goto(`/chat/${id}`);
    await expect(textbox(late)).toBeEditable();

    await ask(page, LONG_QUESTION);
    await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(0);
    await ask(late, 'Hello there');
    const notice = late.getByTestId('chat-notice');
    await expect(notice).toBeVisible();
    await expect(notice.getByTestId('chat-notice-message')).toContainText('still answering');
    await expect(late.getByTestId('chat-error')).toHaveCount(0);

    // Once it can see the run, it follows it; the refused message is gone.
    await late.unroute(`**/api/chats/${id}/run`);
    await expect(bubble(late)).toBeVisible({ timeout: 4_000 });
    await expect(late.getByTestId('user-message')).toHaveText([LONG_QUESTION]);
    await expect.poll(() => textLength(answerTexts(late))).toBeGreaterThan(0);
    await Promise.all([waitForRunEnd(page), waitForRunEnd(late)]);
    await expect(answerTexts(late)).toHaveText(await answerTexts(page).allTextContents());
    // The answer it was told to wait for is over: the notice goes, and sending works again.
    await expect(notice).toHaveCount(0);
    await textbox(late).fill('Hello there');
    await expect(sendButton(late)).toBeEnabled();
  });
});
