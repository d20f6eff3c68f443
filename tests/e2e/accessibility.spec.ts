import { expectNoSeriousViolations } from './axe';
import { ask, expect, newChat, openModelMenu, test, waitForRunEnd } from './fixtures';

/** axe finds no serious or critical violation on the chat's pages, in light and in dark. */
test.describe('accessibility', () => {
  test('the empty chat page', async ({ page }) => {
    await newChat(page);
    await expect(page.getByRole('heading', { level: 1, name: 'New chat' })).toBeAttached();
    await expectNoSeriousViolations(page, 'the empty chat page');
  });

  test('a finished chat with a tool card', async ({ page }) => {
    await newChat(page);
    await ask(page, 'What is 12 * 7?');
    await waitForRunEnd(page);
    await expect(page.locator('[data-testid="tool-card"][data-tool-name="calculator"]')).toHaveAttribute('data-state', 'done');
    await expectNoSeriousViolations(page, 'a finished chat with a tool card');

    await page.reload(); // the page as the server renders a chat with a title
    await expect(page.getByRole('heading', { level: 1, name: 'What is 12 * 7?' })).toBeAttached();
    await expectNoSeriousViolations(page, 'a reloaded chat');
  });

  test('a chat with branches (versions of a question and of an answer)', async ({ page }) => {
    await newChat(page);
    await ask(page, 'What is 2 + 2?');
    await waitForRunEnd(page);
    const answer = page.getByTestId('assistant-message').last();
    await answer.hover();
    await answer.getByRole('button', { name: 'Regenerate' }).click();
    await waitForRunEnd(page);
    await expect(page.getByTestId('assistant-message').last().getByTestId('version-position')).toHaveText('2 / 2');
    await expectNoSeriousViolations(page, 'a chat with branches');
  });

  test('a tool card waiting for approval, with its diff and its buttons', async ({ page }) => {
    await newChat(page);
    await ask(page, 'Create a file notes.md containing # Notes, rewritten');
    const card = page.locator('[data-testid="tool-card"][data-tool-name="write_file"]');
    await expect(card).toHaveAttribute('data-state', 'awaiting-approval');
    await waitForRunEnd(page);
    await expect(card.getByRole('button', { name: 'Always allow in this chat' })).toBeVisible();
    await expect(card.getByLabel('Changes to the file')).toBeVisible();
    await expectNoSeriousViolations(page, 'a tool card waiting for approval');
  });

  test('the model picker, open, with "Add a provider" expanded', async ({ page }) => {
    await newChat(page);
    const menu = await openModelMenu(page);
    await menu.getByRole('menuitem', { name: 'Add a provider' }).click();
    await expect(menu.getByRole('menuitem', { name: /^Google Gemini/ })).toBeVisible();
    await expectNoSeriousViolations(page, 'the open model picker');
  });

  test('the Tools panel, open', async ({ page }) => {
    await newChat(page);
    await page.getByRole('button', { name: 'Tools' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tools' });
    await expect(dialog.getByRole('region', { name: 'everything' }).getByTestId('server-status')).toHaveAttribute(
      'data-status',
      'connected',
    );
    await expectNoSeriousViolations(page, 'the open Tools panel');
  });
});
