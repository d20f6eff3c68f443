import { mkdirSync } from 'node:fs';
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

/**
 * The composer and the live answer: one button that sends or stops, Esc, text that is never lost,
 * the length limit, the model's reasoning and each answer's figures.
 */

const SCREENSHOTS = 'test-results/screenshots';
/** `MAESTRO_MAX_MESSAGE_CHARS`, at its default in the end-to-end server. */
const LIMIT = 16_000;

/** An answer of about 50 s at the test pace: still going however slowly a loaded machine runs the test. */
const LONGER_QUESTION = 'Explain how Maestro streams answers, in about 2000 words.';

const textbox = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' });
const answerTexts = (page: Page): Locator => lastAnswer(page).getByTestId('assistant-text');
const tooltip = (page: Page): Locator => page.getByRole('tooltip');

test('Stop answer replaces Send while an answer is written; Esc stops it, unless a tooltip takes the Esc', async ({ page }) => {
  await newChat(page);
  await ask(page, LONG_QUESTION);
  await expect(stopButton(page)).toBeVisible();
  await expect(sendButton(page)).toHaveCount(0);
  await expect(stopButton(page)).toHaveAttribute('title', 'Stop answer (Esc)');

  // Esc from the composer, where the focus stays after sending.
  await expect(textbox(page)).toBeFocused();
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(80);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('outcome-marker')).toHaveText('Stopped');
  await expect(log(page)).toHaveAttribute('aria-busy', 'false');
  await expect(stopButton(page)).toHaveCount(0);
  await expect(sendButton(page)).toBeVisible();

  // Elsewhere on the page an Esc stops the answer too, but an open tooltip takes it first.
  await ask(page, LONGER_QUESTION);
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(80);
  await page.getByRole('button', { name: 'Answer details' }).first().focus();
  await expect(tooltip(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tooltip(page)).toBeHidden();
  const lengthThen = await textLength(answerTexts(page));
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(lengthThen);
  await expect(log(page)).toHaveAttribute('aria-busy', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('outcome-marker')).toHaveText(['Stopped', 'Stopped']);
  await expect(bubble(page)).toHaveCount(0);
});

test.describe('a refused send', () => {
  // The refusals are failed requests, which Chromium reports on the console.
  test.use({ ignoreFailedRequests: true });

  test('meets a run from another page (409): its text comes back, and no bubble stays', async ({ page, context }) => {
    const id = await newChat(page);
    const late = await context.newPage();
    // This page does not learn of the run (its polls answer "no run"), so it sends into it.
    await late.route(`**/api/chats/${id}/run`, (route) => route.fulfill({ json: { run: null } }));
    await late.goto(`/chat/${id}`);
    await expect(textbox(late)).toBeEditable();

    await ask(page, LONGER_QUESTION);
    await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(0);
    await ask(late, 'Hello there,\nsecond line');
    await expect(late.getByTestId('chat-notice-message')).toContainText('still answering');
    await expect(textbox(late)).toHaveValue('Hello there,\nsecond line');
    await expect(textbox(late)).toBeFocused();
    await expect(late.getByTestId('user-message')).toHaveCount(0);
    await expect(late.getByTestId('chat-error')).toHaveCount(0);

    // It then follows the run; the text waits in the composer and is sent once the answer is over.
    await late.unroute(`**/api/chats/${id}/run`);
    await expect(late.getByTestId('user-message')).toHaveText([LONGER_QUESTION]);
    await expect(stopButton(late)).toBeVisible();
    await expect(textbox(late)).toHaveValue('Hello there,\nsecond line');
    await stopButton(page).click();
    await Promise.all([waitForRunEnd(page), waitForRunEnd(late)]);
    await textbox(late).press('Enter');
    await expect(late.getByTestId('user-message')).toHaveText([LONGER_QUESTION, 'Hello there,\nsecond line']);
    await expect(textbox(late)).toHaveValue('');
    await waitForRunEnd(late);
  });

  test('that never reaches the server, or is too large for it, gives its text back', async ({ page }) => {
    const id = await newChat(page);
    await page.route(`**/api/chats/${id}/messages`, (route) => route.abort('internetdisconnected'));
    await ask(page, 'What is 2 + 2?');
    await expect(page.getByTestId('chat-notice-message')).toContainText('Could not reach the server');
    await expect(textbox(page)).toHaveValue('What is 2 + 2?');
    await expect(page.getByTestId('user-message')).toHaveCount(0);
    await expect(page.getByTestId('chat-error')).toHaveCount(0);

    await page.unroute(`**/api/chats/${id}/messages`);
    // The refusal comes once something else has been typed: that is kept, after the text that comes back.
    const typed = Promise.withResolvers<void>();
    await page.route(`**/api/chats/${id}/messages`, async (route) => {
      await typed.promise;
      await route.fulfill({ status: 413, json: { error: { code: 'body_too_large', message: 'The request body is too large.' } } });
    });
    await textbox(page).press('Enter');
    await expect(textbox(page)).toHaveValue('');
    await textbox(page).pressSequentially('And 3 + 3?');
    typed.resolve();
    await expect(page.getByTestId('chat-notice-message')).toHaveText('The request body is too large.');
    await expect(textbox(page)).toHaveValue('What is 2 + 2?\n\nAnd 3 + 3?');
    await expect(page.getByTestId('user-message')).toHaveCount(0);

    await page.unroute(`**/api/chats/${id}/messages`);
    await textbox(page).press('Enter');
    await expect(page.getByTestId('user-message')).toHaveText(['What is 2 + 2?\n\nAnd 3 + 3?']);
    await expect(page.getByTestId('chat-notice')).toHaveCount(0);
    await waitForRunEnd(page);
  });
});

test('a message over the length limit is not sent; a counter shows near the limit', async ({ page }) => {
  await newChat(page);
  const counter = page.getByTestId('composer-counter');
  const explanation = page.getByTestId('composer-limit');

  await textbox(page).fill('x'.repeat(LIMIT * 0.9 - 1));
  await expect(counter).toHaveCount(0);
  await textbox(page).fill('x'.repeat(LIMIT * 0.9));
  await expect(counter).toHaveText(/14,400 \/ 16,000/);
  await expect(sendButton(page)).toBeEnabled();
  await expect(explanation).toHaveCount(0);

  await textbox(page).fill('x'.repeat(LIMIT + 1));
  await expect(counter).toHaveText(/16,001 \/ 16,000/);
  await expect(explanation).toHaveText('1 character over the limit of 16,000. Shorten the message to send it.');
  await expect(sendButton(page)).toBeDisabled();
  await expect(sendButton(page)).toHaveAccessibleDescription(/1 character over the limit of 16,000/);
  await expect(textbox(page)).toHaveAttribute('aria-invalid', 'true');
  await textbox(page).press('Enter');
  await expect(page.getByTestId('user-message')).toHaveCount(0);
  await expect(textbox(page)).toHaveValue('x'.repeat(LIMIT + 1));

  await textbox(page).press('Backspace');
  await expect(explanation).toHaveCount(0);
  await expect(counter).toHaveText(/16,000 \/ 16,000/);
  await expect(sendButton(page)).toBeEnabled();
});

test('a suggestion is sent and leaves the focus in the composer', async ({ page }) => {
  await newChat(page);
  await page.getByRole('button', { name: 'What is 17 * 23?' }).click();
  await expect(page.getByTestId('user-message')).toHaveText(['What is 17 * 23?']);
  await expect(textbox(page)).toBeFocused();
  await waitForRunEnd(page);
  await expect(textbox(page)).toBeFocused();
});

/** Records, in the page, the titles the reasoning blocks show while they stream. */
async function recordReasoningTitles(page: Page): Promise<void> {
  await page.evaluate(() => {
    const titles: string[] = [];
    (window as unknown as { __reasoning: string[] }).__reasoning = titles;
    new MutationObserver(() => {
      for (const block of document.querySelectorAll('[data-testid="reasoning"][data-state="streaming"]')) {
        const title = block.querySelector('button')?.textContent ?? '';
        const preview = block.querySelector('[data-testid="reasoning-preview"]')?.textContent ?? '';
        const seen = `${title}|${preview === '' ? '' : 'preview'}`;
        if (titles.at(-1) !== seen) titles.push(seen);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

test('the model’s reasoning shows as “Thinking…” while it streams, then folded as “Thought for N s”', async ({ page }) => {
  await newChat(page);
  await recordReasoningTitles(page);
  // Its reasoning (why no tool, and the length asked for) streams for about a second.
  await ask(page, LONGER_QUESTION);
  await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(0);
  await stopButton(page).click();
  await waitForRunEnd(page);
  const seen = await page.evaluate(() => (window as unknown as { __reasoning: string[] }).__reasoning);
  expect(seen, 'a live "Thinking…" with the latest line of the reasoning').toContain('Thinking…|preview');

  const block = lastAnswer(page).getByTestId('reasoning');
  await expect(block).toHaveCount(1);
  const toggle = block.getByRole('button');
  await expect(toggle).toHaveText(/^Thought for \d+(\.\d)? s$/);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const reasoning = block.getByText('No tool fits this question');
  await expect(reasoning).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(reasoning).toBeVisible();
  await toggle.click();
  await expect(reasoning).toBeHidden();

  // Each step of a tool-using answer has its own, and their durations are saved with the answer.
  await ask(page, 'What is 17 * 23?');
  await waitForRunEnd(page);
  await expect(lastAnswer(page).getByTestId('reasoning')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('reasoning')).toHaveCount(3);
  for (const toggleAfterReload of await page.getByTestId('reasoning').getByRole('button').all()) {
    await expect(toggleAfterReload).toHaveText(/^Thought for \d+(\.\d)? s$/);
  }
});

test('the answer details show time to first token, tokens per second, tokens and tool time, on focus and on hover', async ({ page }) => {
  await newChat(page);
  await ask(page, 'What is 17 * 23?');
  await waitForRunEnd(page);
  const details = lastAnswer(page).getByRole('button', { name: 'Answer details' });
  await expect(tooltip(page)).toBeHidden();
  await expect(details).toHaveAccessibleDescription(/Time to first token/);

  await details.focus();
  await expect(tooltip(page)).toBeVisible();
  await expect(tooltip(page)).toContainText(/Time to first token\s*\d+(\.\d)? m?s/);
  await expect(tooltip(page)).toContainText(/Speed\s*\d+(\.\d)? tokens\/s/);
  await expect(tooltip(page)).toContainText(/Input tokens\s*\d+/);
  await expect(tooltip(page)).toContainText(/Output tokens\s*\d+/);
  await expect(tooltip(page)).toContainText(/calculator\s*\d+ ms/);
  await page.keyboard.press('Escape');
  await expect(tooltip(page)).toBeHidden();
  await expect(details).toBeFocused();

  await textbox(page).focus();
  await details.hover();
  await expect(tooltip(page)).toBeVisible();
  await page.mouse.move(5, 5);
  await expect(tooltip(page)).toBeHidden();
});

test('screenshots of the composer, the reasoning and the answer details', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const shoot = async (name: string) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  };
  for (const [scheme, width] of [
    ['light', 1280],
    ['dark', 1280],
    ['dark', 390],
  ] as const) {
    const suffix = `${scheme}-${width}`;
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    await newChat(page);
    await ask(page, 'What is 17 * 23?');
    await waitForRunEnd(page);
    await lastAnswer(page).getByTestId('reasoning').first().getByRole('button').click();
    await shoot(`composer-reasoning-open-${suffix}`);
    await lastAnswer(page).getByTestId('reasoning').first().getByRole('button').click();
    await lastAnswer(page).getByRole('button', { name: 'Answer details' }).focus();
    await expect(tooltip(page)).toBeVisible();
    await shoot(`composer-answer-details-${suffix}`);
    await page.keyboard.press('Escape');

    await ask(page, LONG_QUESTION);
    await expect(lastAnswer(page).getByTestId('reasoning').first()).toBeVisible();
    await shoot(`composer-thinking-${suffix}`);
    await expect.poll(() => textLength(answerTexts(page))).toBeGreaterThan(300);
    await textbox(page).fill('A follow-up question');
    await shoot(`composer-streaming-stop-${suffix}`);
    await stopButton(page).click();
    await waitForRunEnd(page);

    await textbox(page).fill('x'.repeat(LIMIT - 500));
    await shoot(`composer-counter-near-${suffix}`);
    await textbox(page).fill('x'.repeat(LIMIT + 42));
    await shoot(`composer-counter-over-${suffix}`);
    await textbox(page).fill('');
  }
});
