import { mkdirSync } from 'node:fs';
import {
  ask,
  bubble,
  chooseModel,
  expect,
  lastAnswer,
  log,
  modelPicker,
  newChat,
  readRecorder,
  sendButton,
  startRecorder,
  stopButton,
  test,
  waitForRunEnd,
} from './fixtures';

const SCREENSHOTS = 'test-results/screenshots';

test('a calculator question shows the status, a tool card with the result, and a streamed answer', async ({ page }) => {
  await newChat(page);
  await startRecorder(page);
  // An answer of a few seconds after the tool: its growth shows even when the machine is loaded.
  await ask(page, 'What is 17 * 23? Explain in about 150 words.');

  await expect(bubble(page)).toBeVisible();
  await expect(page.getByRole('status')).toBeVisible();
  await expect(log(page)).toHaveAttribute('aria-busy', 'true');
  await expect(stopButton(page)).toBeVisible();
  await expect(sendButton(page)).toHaveCount(0);

  const card = page.locator('[data-testid="tool-card"][data-tool-name="calculator"]');
  await expect(card).toHaveAttribute('data-state', 'done');
  await expect(card.getByTestId('tool-output')).toContainText('391');
  await expect(card.getByTestId('tool-duration')).toBeVisible();

  await waitForRunEnd(page);
  await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('391');
  await expect(page.getByRole('status')).toHaveCount(0);

  const { labels, lengths, labelsWhileToolRuns } = await readRecorder(page);
  expect(labels).toContain('Thinking…');
  // The calculator takes a millisecond: on a loaded machine its card may go from its input straight
  // to its result in one render. Whenever the card did show it running, the bubble said so.
  for (const label of labelsWhileToolRuns) expect(label).toBe('Using tool: calculator…');
  const increases = lengths.filter((length, i) => i > 0 && length > (lengths[i - 1] ?? 0)).length;
  expect(increases, `text lengths seen: ${lengths.join(', ')}`).toBeGreaterThanOrEqual(3);
});

test('a long answer renders a heading, a list, a code block and a table', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 640 });
  await newChat(page);
  await ask(page, 'Explain how Maestro streams answers.');

  // While it streams, the log follows the bottom; scrolling up stops that and offers a button.
  const text = lastAnswer(page).getByTestId('assistant-text').first();
  const scroller = page.getByTestId('message-log').locator('xpath=..');
  await expect.poll(async () => (await text.textContent())?.length ?? 0).toBeGreaterThan(1_200);
  await expect(page.getByTestId('scroll-to-bottom')).toHaveCount(0);
  await scroller.hover();
  await page.mouse.wheel(0, -500);
  await expect(page.getByTestId('scroll-to-bottom')).toBeVisible();
  const scrolledTo = await scroller.evaluate((el) => el.scrollTop);
  const lengthThen = (await text.textContent())?.length ?? 0;
  await page.waitForTimeout(600);
  expect((await text.textContent())?.length ?? 0).toBeGreaterThan(lengthThen); // still streaming…
  expect(await scroller.evaluate((el) => el.scrollTop)).toBe(scrolledTo); // …and the view stayed put
  await page.getByTestId('scroll-to-bottom').click();
  await expect(page.getByTestId('scroll-to-bottom')).toHaveCount(0);

  await waitForRunEnd(page);
  const answer = lastAnswer(page);
  await expect(answer.locator('h1, h2, h3, h4').first()).toBeVisible();
  await expect(answer.locator('ul, ol').first()).toBeVisible();
  await expect(answer.locator('pre').first()).toBeVisible();
  await expect(answer.locator('table').first()).toBeVisible();
  await expect(answer.getByTestId('message-meta')).toContainText('offline:maestro');
});

test('Stop answer ends the answer: the text stops growing and the composer is usable again', async ({ page }) => {
  await newChat(page);
  await ask(page, 'Explain how Maestro streams answers.');

  const text = lastAnswer(page).getByTestId('assistant-text').first();
  await expect.poll(async () => (await text.textContent())?.length ?? 0).toBeGreaterThan(80);
  await stopButton(page).click();

  await expect(log(page)).toHaveAttribute('aria-busy', 'false');
  await expect(bubble(page)).toHaveCount(0);
  await expect(stopButton(page)).toHaveCount(0);
  await expect(page.getByTestId('outcome-marker')).toHaveText('Stopped');
  const stoppedAt = (await text.textContent())?.length ?? 0;
  await page.waitForTimeout(1_000);
  expect((await text.textContent())?.length ?? 0).toBe(stoppedAt);

  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('What is');
  await box.press('Shift+Enter'); // a new line, not a send
  await box.pressSequentially('2 + 2?');
  await expect(box).toHaveValue('What is\n2 + 2?');
  await expect(sendButton(page)).toBeEnabled();
  await box.press('Enter');
  await expect(box).toHaveValue('');
  await expect(page.locator('[data-testid="tool-card"][data-tool-name="calculator"]')).toHaveAttribute('data-state', 'done');
  await waitForRunEnd(page);
  await expect(page.getByTestId('chat-error')).toHaveCount(0);

  // The server saved the partial answer as stopped.
  await page.reload();
  await expect(page.getByTestId('outcome-marker').first()).toHaveText('Stopped');
});

test('a reload keeps the conversation; the sidebar lists the chat and deletes it', async ({ page }) => {
  const id = await newChat(page);
  await ask(page, 'What is 17 * 23?');
  await waitForRunEnd(page);

  await page.reload();
  await expect(page.getByTestId('user-message')).toHaveText('What is 17 * 23?');
  const card = page.locator('[data-testid="tool-card"][data-tool-name="calculator"]');
  await expect(card).toHaveAttribute('data-state', 'done');
  await expect(card.getByTestId('tool-output')).toContainText('391');
  await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('391');

  const item = page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`);
  await expect(item).toContainText('17 * 23');
  await expect(item.getByRole('link')).toHaveAttribute('aria-current', 'page');

  await item.getByRole('button', { name: 'Chat options' }).click();
  await page.getByRole('menuitem', { name: 'Delete chat' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/chat/${id}$`));
  await expect(page).toHaveURL(/\/chat\/[A-Za-z0-9_-]+$/);
  await expect(page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`)).toHaveCount(0);
  // Deleted once the few seconds for Undo are over.
  await expect
    .poll(
      async () =>
        ((await (await page.request.get('/api/chats')).json()) as { chats: Array<{ id: string }> }).chats.some((chat) => chat.id === id),
      { timeout: 15_000 },
    )
    .toBe(false);
});

test.describe('an unreachable model', () => {
  test.use({ ignoreFailedRequests: true });

  test('shows an error with Retry, and no status bubble stays', async ({ page }) => {
    await newChat(page);
    await chooseModel(page, 'unreachable (local)');
    await ask(page, 'Hello there');

    const error = page.getByTestId('chat-error');
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(bubble(page)).toHaveCount(0);
    await expect(log(page)).toHaveAttribute('aria-busy', 'false');

    await error.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByTestId('chat-error')).toBeVisible({ timeout: 30_000 });
    await expect(bubble(page)).toHaveCount(0);
    await expect(page.getByTestId('user-message')).toHaveCount(1);

    // After a reload the failed answer is marked, and the model choice is remembered.
    await page.reload();
    await expect(page.getByTestId('outcome-marker')).toHaveText('Failed');
    await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(modelPicker(page)).toHaveAccessibleName('Model: unreachable (local)');
  });
});

test('screenshots in light and dark', async ({ page }) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await newChat(page);
  await ask(page, 'What is 17 * 23?');
  await waitForRunEnd(page);
  await ask(page, 'Explain how Maestro streams answers.');
  await waitForRunEnd(page);
  const shoot = async (name: string) => {
    await page.waitForTimeout(400); // let smooth scrolling and transitions settle
    await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  };
  // The page's background, 0 (black) to 255 (white): the colour scheme must reach it. Painted on
  // a canvas, since the computed colour may be in any colour space (lab, oklch).
  const backgroundBrightness = () =>
    page.evaluate(() => {
      const context = document.createElement('canvas').getContext('2d')!;
      context.fillStyle = getComputedStyle(document.body).backgroundColor;
      context.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
      return (r + g + b) / 3;
    });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (scheme === 'dark') expect(await backgroundBrightness()).toBeLessThan(64);
    else expect(await backgroundBrightness()).toBeGreaterThan(192);
    await page.getByTestId('tool-card').first().scrollIntoViewIfNeeded();
    await expect(page.getByTestId('tool-card').first()).toBeInViewport();
    await shoot(`chat-tool-card-${scheme}`);
    await page.locator('pre').last().scrollIntoViewIfNeeded();
    await expect(page.locator('pre').last()).toBeInViewport();
    await shoot(`chat-code-table-${scheme}`);
  }
  await page.setViewportSize({ width: 390, height: 800 });
  // On a phone the chat list is hidden until opened.
  await expect(page.getByRole('navigation', { name: 'Chats' })).not.toBeInViewport();
  await shoot('chat-mobile-dark');
  await page.getByRole('button', { name: 'Open chat list' }).click();
  await expect(page.getByRole('navigation', { name: 'Chats' })).toBeInViewport();
  await shoot('chat-mobile-sidebar-dark');
});
