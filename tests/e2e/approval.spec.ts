import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ask, expect, lastAnswer, newChat, test, waitForRunEnd } from './fixtures';

const workspace = process.env.MAESTRO_E2E_WORKSPACE_DIR!;
const writeCard = (page: Page) => page.locator('[data-testid="tool-card"][data-tool-name="write_file"]').last();

/** Asks for a file and waits for the card that asks for approval. */
async function askToWrite(page: Page, file: string, content: string): Promise<void> {
  await ask(page, `Create a file ${file} containing ${content}`);
  await expect(writeCard(page)).toHaveAttribute('data-state', 'awaiting-approval');
  await waitForRunEnd(page);
}

test.describe('tool approval', () => {
  test('the card waits through a reload; approved in a second tab, the file is written and the answer completes in both', async ({
    page,
    context,
  }) => {
    const file = `approved-${Date.now()}.txt`;
    await newChat(page);
    await askToWrite(page, file, 'Hello, Maestro');
    const card = writeCard(page);
    await expect(card.getByText('New file')).toBeVisible();
    await expect(card.getByLabel('Content of the new file')).toHaveText('Hello, Maestro');
    expect(existsSync(path.join(workspace, file))).toBe(false);

    await page.reload();
    await expect(writeCard(page)).toHaveAttribute('data-state', 'awaiting-approval');
    await expect(writeCard(page).getByRole('button', { name: 'Approve' })).toBeEnabled();

    const second = await context.newPage();
    await second.goto(page.url());
    await expect(writeCard(second)).toHaveAttribute('data-state', 'awaiting-approval');
    await writeCard(second).getByRole('button', { name: 'Approve' }).click();

    for (const tab of [second, page]) {
      await expect(writeCard(tab)).toHaveAttribute('data-state', 'done');
      await expect(lastAnswer(tab).getByTestId('assistant-text')).toContainText(`I created ${file}`);
      await waitForRunEnd(tab);
    }
    expect(readFileSync(path.join(workspace, file), 'utf8')).toBe('Hello, Maestro');
    // One answer, continued: the card and its text are in the same message.
    await expect(page.getByTestId('assistant-message')).toHaveCount(1);
    await expect(writeCard(page).getByRole('button', { name: 'Approve' })).toHaveCount(0);
  });

  test('denied with a reason: the file is not written and the answer says why', async ({ page }) => {
    const file = `denied-${Date.now()}.txt`;
    await newChat(page);
    await askToWrite(page, file, 'Never written');
    const card = writeCard(page);
    await card.getByLabel('Reason for denying (optional)').fill('wrong folder');
    await card.getByRole('button', { name: 'Deny' }).click();
    await expect(card).toHaveAttribute('data-state', 'denied');
    await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('I did not run the write_file tool');
    await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('wrong folder');
    await waitForRunEnd(page);
    await expect(card.getByTestId('denied-reason')).toHaveText('Reason: wrong folder');
    expect(existsSync(path.join(workspace, file))).toBe(false);
  });

  test('"Always allow in this chat": the next write in the chat runs without asking', async ({ page }) => {
    const [first, next] = [`always-${Date.now()}.txt`, `always-next-${Date.now()}.txt`];
    await newChat(page);
    await askToWrite(page, first, 'one');
    await writeCard(page).getByRole('button', { name: 'Always allow in this chat' }).click();
    await expect(writeCard(page)).toHaveAttribute('data-state', 'done');
    await waitForRunEnd(page);
    await ask(page, `Create a file ${next} containing two`);
    await expect(writeCard(page)).toHaveAttribute('data-state', 'done');
    await waitForRunEnd(page);
    expect(readFileSync(path.join(workspace, next), 'utf8')).toBe('two');
  });

  test('an MCP tool whose policy is ask waits the same way, and runs once approved', async ({ page }) => {
    await newChat(page);
    await ask(page, 'Use everything__get-sum with {"a":2,"b":3}');
    const card = page.locator('[data-testid="tool-card"][data-tool-name="everything__get-sum"]');
    await expect(card).toHaveAttribute('data-state', 'awaiting-approval');
    await waitForRunEnd(page);
    // What it would be called with is shown before it is approved.
    await expect(card.getByText('"a": 2')).toBeVisible();
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect(card).toHaveAttribute('data-state', 'done');
    await waitForRunEnd(page);
    await expect(lastAnswer(page)).toContainText('The sum of 2 and 3 is 5');
  });
});
