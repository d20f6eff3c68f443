import { test as base, expect, type Locator, type Page } from '@playwright/test';

export { expect };

/**
 * Every test collects console errors and uncaught page errors, of every page it opens, and fails
 * on any. Pages of the test's context are watched by themselves; a page of another context (another
 * identity) is watched through `watch`. A test that expects failing requests sets
 * `ignoreFailedRequests` to drop Chromium's "Failed to load resource" noise (and nothing else).
 */
export const test = base.extend<{ ignoreFailedRequests: boolean; watch: (page: Page) => void }>({
  ignoreFailedRequests: [false, { option: true }],
  watch: [
    async ({ context, page, ignoreFailedRequests }, use) => {
      const errors: string[] = [];
      const failedResponses: string[] = [];
      const watched = new WeakSet<Page>();
      let pages = 0;
      const watch = (target: Page) => {
        if (watched.has(target)) return;
        watched.add(target);
        pages += 1;
        const name = pages === 1 ? '' : `page ${pages}: `;
        target.on('response', (response) => {
          if (response.status() >= 400) failedResponses.push(`${response.status()} ${response.request().method()} ${response.url()}`);
        });
        target.on('console', (message) => {
          if (message.type() !== 'error') return;
          const text = message.text();
          if (ignoreFailedRequests && text.startsWith('Failed to load resource')) return;
          errors.push(`${name}console: ${text}`);
        });
        target.on('pageerror', (error) => errors.push(`${name}pageerror: ${error.message}`));
      };
      watch(page);
      context.on('page', watch);
      await use(watch);
      expect(errors, `console errors and page errors (failed responses: ${failedResponses.join('; ') || 'none'})`).toEqual([]);
    },
    { auto: true },
  ],
});

/** The offline model's long markdown answer: about 10 s at the test pace of 25 ms a word. */
export const LONG_QUESTION = 'Explain how Maestro streams answers.';

export async function newChat(page: Page): Promise<string> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/chat\/[A-Za-z0-9_-]+$/);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable();
  return new URL(page.url()).pathname.split('/').at(-1) ?? '';
}

export async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

export const log = (page: Page) => page.getByRole('log', { name: 'Conversation' });
export const bubble = (page: Page) => page.getByTestId('status-bubble');
export const lastAnswer = (page: Page) => page.getByTestId('assistant-message').last();
export const sendButton = (page: Page) => page.getByRole('button', { name: 'Send message' });
/** While an answer is being written, the composer's one button stops it. */
export const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop answer' });

export async function waitForRunEnd(page: Page): Promise<void> {
  await expect(log(page)).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await expect(bubble(page)).toHaveCount(0);
}

/** The length of a locator's text, 0 when it is not there. */
export async function textLength(locator: Locator): Promise<number> {
  if ((await locator.count()) === 0) return 0;
  return ((await locator.first().textContent()) ?? '').length;
}

/**
 * Records in the page, every 15 ms: the status label shown (each change) and the length of the
 * last assistant text (each change). Polling in the page sees every stage of a fast stream.
 */
export async function startRecorder(page: Page): Promise<void> {
  await page.evaluate(() => {
    // labelsWhileToolRuns: what the bubble said whenever a tool card showed its tool running.
    const record = { labels: [] as string[], lengths: [] as number[], labelsWhileToolRuns: [] as Array<string | null> };
    (window as unknown as { __maestro: typeof record }).__maestro = record;
    // Every committed change of the page is seen (a timer could be starved on a loaded machine).
    new MutationObserver(() => {
      const label = document.querySelector('[data-testid="status-label"]')?.textContent ?? null;
      if (label !== null && record.labels.at(-1) !== label) record.labels.push(label);
      if (document.querySelector('[data-testid="tool-card"][data-state="running"]')) record.labelsWhileToolRuns.push(label);
      const texts = document.querySelectorAll('[data-testid="assistant-message"]:last-of-type [data-testid="assistant-text"]');
      const last = texts[texts.length - 1];
      const length = last?.textContent?.length ?? 0;
      if (length > 0 && record.lengths.at(-1) !== length) record.lengths.push(length);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

type Recorded = { labels: string[]; lengths: number[]; labelsWhileToolRuns: Array<string | null> };

export async function readRecorder(page: Page): Promise<Recorded> {
  return page.evaluate(() => (window as unknown as { __maestro: Recorded }).__maestro);
}

/** The model picker's button; its accessible name says the model, e.g. "Model: Maestro (offline)". */
export const modelPicker = (page: Page) => page.getByRole('button', { name: /^Model: / });

/** Opens the model picker's menu (again, if the page was not yet hydrated when first pressed). */
export async function openModelMenu(page: Page): Promise<Locator> {
  const menu = page.getByRole('menu', { name: 'Models' });
  await expect(async () => {
    if ((await modelPicker(page).getAttribute('aria-expanded')) !== 'true') await modelPicker(page).click();
    await expect(menu).toBeVisible({ timeout: 1_000 });
  }).toPass();
  return menu;
}

/** Chooses a model by its label through the picker's menu. */
export async function chooseModel(page: Page, label: string): Promise<void> {
  const menu = await openModelMenu(page);
  await menu.getByRole('menuitemradio', { name: label }).click();
  await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${label}`);
}
