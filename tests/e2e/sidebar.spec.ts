import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from '@playwright/test';
import { ask, expect, newChat, test, waitForRunEnd } from './fixtures';

// Days begin at midnight UTC for the page: the groups do not depend on this machine's time zone.
test.use({ timezoneId: 'UTC' });

const item = (page: Page, id: string) => page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`);
const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Chats' });

async function openMenu(page: Page, id: string) {
  await item(page, id).hover();
  await item(page, id).getByRole('button', { name: 'Chat options' }).click();
  return page.getByRole('menu', { name: 'Chat options' });
}

/** Starts a chat through the API (the page's identity) and waits for its answer; returns its id. */
async function chatAbout(page: Page, question: string): Promise<string> {
  const id = `e2e-${Math.random().toString(36).slice(2, 12)}`;
  const response = await page.request.post(`/api/chats/${id}/messages`, {
    data: { message: { role: 'user', parts: [{ type: 'text', text: question }] } },
  });
  expect(response.status()).toBe(200);
  await response.text();
  return id;
}

/** Moves a chat's last activity back in time, in the server's SQLite database (WAL: the server sees it at once). */
function setUpdatedAt(ids: Record<string, Date>): void {
  const dataDir = process.env.MAESTRO_E2E_DATA_DIR;
  if (!dataDir) throw new Error('MAESTRO_E2E_DATA_DIR is set by playwright.config.ts');
  const db = new DatabaseSync(path.join(dataDir, 'maestro.db'), { timeout: 5_000 });
  try {
    for (const [id, at] of Object.entries(ids)) db.prepare('UPDATE chats SET updated_at = ? WHERE id = ?').run(at.toISOString(), id);
  } finally {
    db.close();
  }
}

test('the tab title follows the chat: its first question, then a rename from the menu (Escape cancels), without a reload', async ({
  page,
}) => {
  const id = await newChat(page);
  await expect(page).toHaveTitle('New chat · Maestro');
  await page.evaluate(() => {
    (window as Window & { samePage?: boolean }).samePage = true;
  });
  await ask(page, 'What is 17 * 23?');
  await expect(page).toHaveTitle('What is 17 * 23? · Maestro');
  await waitForRunEnd(page);

  // Escape leaves the title as it was.
  await (await openMenu(page, id)).getByRole('menuitem', { name: 'Rename chat' }).click();
  const field = item(page, id).getByRole('textbox', { name: 'Chat title' });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('What is 17 * 23?');
  await field.fill('Something else');
  await field.press('Escape');
  await expect(field).toHaveCount(0);
  await expect(item(page, id).getByRole('link')).toContainText('What is 17 * 23?');
  await expect(item(page, id).getByRole('link')).toBeFocused();

  // Enter saves.
  await (await openMenu(page, id)).getByRole('menuitem', { name: 'Rename chat' }).click();
  await field.fill('  Multiplication   check ');
  await field.press('Enter');
  await expect(item(page, id).getByRole('link')).toContainText('Multiplication check');
  await expect(page).toHaveTitle('Multiplication check · Maestro');
  expect(await page.evaluate(() => (window as Window & { samePage?: boolean }).samePage)).toBe(true);

  await page.reload();
  await expect(item(page, id).getByRole('link')).toContainText('Multiplication check');
  await expect(page).toHaveTitle('Multiplication check · Maestro');

  // Another page of the app gets its own title.
  await sidebar(page).getByRole('link', { name: 'New chat' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/chat/${id}$`));
  await expect(page).toHaveTitle('New chat · Maestro');
  await item(page, id).getByRole('link').click();
  await expect(page).toHaveTitle('Multiplication check · Maestro');
});

test('search finds a chat by a word of its answer, shows what matched and links to it; Escape clears it', async ({ page }) => {
  await newChat(page);
  const calc = await chatAbout(page, 'What is 17 * 23?');
  await chatAbout(page, 'What time is it in Tokyo?');
  await page.reload();

  const box = page.getByRole('searchbox', { name: 'Search chats' });
  // "calculator" is only in the answer: "I worked this out with the calculator tool…".
  await box.fill('CALCULATOR');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('link')).toHaveCount(1);
  const result = results.getByRole('link');
  await expect(result).toContainText('What is 17 * 23?');
  await expect(result.getByTestId('search-snippet')).toContainText('calculator tool');
  await expect(result.locator('mark')).toHaveText(['calculator']);
  await expect(page.getByTestId('chat-list')).toHaveCount(0);

  await box.fill('quokka');
  await expect(page.getByText('No chats match “quokka”')).toBeVisible();
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('chat-search-results')).toHaveCount(0);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(2);

  await box.fill('calculator');
  await results.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/chat/${calc}$`));
  await expect(page.getByTestId('user-message')).toHaveText('What is 17 * 23?');
});

test('delete offers Undo: Undo keeps the chat, leaving the page keeps it, else it is gone after a few seconds', async ({ page }) => {
  await newChat(page);
  const id = await chatAbout(page, 'What is 2 + 2?');
  await page.reload();

  await (await openMenu(page, id)).getByRole('menuitem', { name: 'Delete chat' }).click();
  await expect(item(page, id)).toHaveCount(0);
  const notice = page.getByRole('status').filter({ hasText: 'Deleted “What is 2 + 2?”' });
  await expect(notice).toBeVisible();
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(notice).toHaveCount(0);
  await expect(item(page, id)).toHaveCount(1);

  // A reload while it waits: nothing was deleted.
  await (await openMenu(page, id)).getByRole('menuitem', { name: 'Delete chat' }).click();
  await expect(item(page, id)).toHaveCount(0);
  await page.reload();
  await expect(item(page, id)).toHaveCount(1);
  expect((await page.request.get(`/api/chats/${id}`)).status()).toBe(200);

  await (await openMenu(page, id)).getByRole('menuitem', { name: 'Delete chat' }).click();
  await expect(notice).toBeVisible();
  await expect(notice).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(async () => (await page.request.get(`/api/chats/${id}`)).status()).toBe(404);
  await page.reload();
  await expect(item(page, id)).toHaveCount(0);
});

test('groups chats under Today, Yesterday, Previous 7 days and Older; chats of the same title differ by their time', async ({ page }) => {
  await newChat(page);
  const ids = {
    today: await chatAbout(page, 'Hello there'),
    yesterday: await chatAbout(page, 'Hello there'),
    lastWeek: await chatAbout(page, 'What is 3 + 4?'),
    older: await chatAbout(page, 'What is 5 + 6?'),
  };
  const midnight = new Date();
  midnight.setUTCHours(0, 0, 0, 0);
  const hours = (n: number) => new Date(midnight.getTime() + n * 3_600_000);
  setUpdatedAt({ [ids.yesterday]: hours(-2), [ids.lastWeek]: hours(-4 * 24), [ids.older]: new Date(Date.UTC(2024, 0, 5, 12)) });
  await page.reload();

  const list = page.getByTestId('chat-list');
  await expect(list.getByRole('heading')).toHaveText(['Today', 'Yesterday', 'Previous 7 days', 'Older']);
  // Each chat right after its heading, in that order.
  await expect(list.locator('h2, [data-testid="chat-list-item"]')).toHaveText([
    'Today',
    /^Hello there/,
    'Yesterday',
    /^Hello there/,
    'Previous 7 days',
    /^What is 3 \+ 4\?/,
    'Older',
    /^What is 5 \+ 6\?/,
  ]);
  await expect(item(page, ids.yesterday).locator('time')).toHaveText('10:00 PM');
  await expect(item(page, ids.older).locator('time')).toHaveText('Jan 5, 2024');
  const todayTime = await item(page, ids.today).locator('time').textContent();
  expect(todayTime).toMatch(/^\d{1,2}:\d{2} [AP]M$/);
  await expect(item(page, ids.today).getByRole('link')).toHaveAttribute('title', /^Hello there\n/);
});

test('exports a chat as Markdown or JSON from its menu', async ({ page }) => {
  await newChat(page);
  const id = await chatAbout(page, 'What is 17 * 23?');
  await page.reload();
  for (const [name, file] of [
    // The browser takes the title itself (filename*), without the characters file systems refuse.
    ['Export as Markdown', 'What is 17 23.md'],
    ['Export as JSON', 'What is 17 23.json'],
  ] as const) {
    const menu = await openMenu(page, id);
    const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('menuitem', { name }).click()]);
    expect(download.suggestedFilename()).toBe(file);
    const body = readFileSync(await download.path(), 'utf8');
    if (file.endsWith('.md')) expect(body).toMatch(/^# What is 17 \* 23\?\n[\s\S]*\*\*Tool call: `calculator`\*\*[\s\S]*391/);
    else expect((JSON.parse(body) as { chat: { id: string } }).chat.id).toBe(id);
    await expect(menu).toBeHidden();
  }
});
