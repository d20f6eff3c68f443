import { ask, expect, log, newChat, test, waitForRunEnd } from './fixtures';

test.describe('MCP servers', () => {
  test('the Tools panel shows a connected and a failed server, and each tool with its policy', async ({ page }) => {
    await newChat(page);
    await page.getByRole('button', { name: 'Tools' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tools' });
    await expect(dialog).toBeVisible();

    const everything = dialog.getByRole('region', { name: 'everything' });
    await expect(everything.getByTestId('server-status')).toHaveAttribute('data-status', 'connected');
    await expect(everything.locator('[data-tool-name="everything__echo"]')).toContainText('Runs');

    const intranet = dialog.getByRole('region', { name: 'intranet' });
    await expect(intranet.getByTestId('server-status')).toHaveAttribute('data-status', 'failed');
    await expect(intranet).toContainText('refused by the address policy');

    const builtin = dialog.getByRole('region', { name: 'Built-in' });
    await expect(builtin.locator('[data-tool-name="calculator"]')).toContainText('Runs');
    await expect(builtin.locator('[data-tool-name="fetch_url"]')).toContainText('Unavailable');

    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Tools' })).toBeFocused();
  });

  test('an MCP tool card through the offline model: status, progress, result and duration', async ({ page }) => {
    await newChat(page);
    await ask(page, 'Use everything__trigger-long-running-operation with {"duration":2,"steps":4}');
    await expect(page.getByTestId('status-bubble')).toContainText('Using tool: everything__trigger-long-running-operation');
    const card = log(page).locator('[data-testid="tool-card"][data-tool-name="everything__trigger-long-running-operation"]');
    await expect(card.getByTestId('tool-progress')).toContainText(/running · progress: [1-4]\/4/);
    await waitForRunEnd(page);
    await expect(card).toHaveAttribute('data-state', 'done');
    await expect(card.getByTestId('tool-duration')).toContainText(/s$/);
    await card.getByText('Output').click();
    await expect(card.getByTestId('tool-output')).toContainText('Long running operation completed');

    await ask(page, 'Use everything__echo with {"message":"hello from the browser"}');
    await waitForRunEnd(page);
    const echo = log(page).locator('[data-testid="tool-card"][data-tool-name="everything__echo"]');
    await expect(echo).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('assistant-message').last()).toContainText('Echo: hello from the browser');

    await page.reload();
    await expect(log(page).locator('[data-testid="tool-card"][data-tool-name="everything__echo"]')).toHaveAttribute('data-state', 'done');
  });
});
