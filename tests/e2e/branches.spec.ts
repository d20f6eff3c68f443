import type { Page } from '@playwright/test';
import { ask, expect, lastAnswer, newChat, test, waitForRunEnd } from './fixtures';

const userMessages = (page: Page) => page.getByTestId('user-message');
const answers = (page: Page) => page.getByTestId('assistant-message');

/** Waits until the conversation shows exactly these questions and an answer after each. */
async function expectQuestions(page: Page, questions: string[]): Promise<void> {
  await expect(userMessages(page).getByTestId('user-text')).toHaveText(questions);
  await expect(answers(page)).toHaveCount(questions.length);
}

test('edit starts a branch: ‹ 2 / 2 ›, switch back to the old answer; a second tab and a reload show the choice', async ({
  page,
  context,
}) => {
  await newChat(page);
  await ask(page, 'What is 2 + 2?');
  await waitForRunEnd(page);
  await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('4');

  // Edit the question in place: the composer opens with its text.
  const question = userMessages(page).first();
  await question.hover();
  await question.getByRole('button', { name: 'Edit message' }).click();
  const editor = page.getByRole('textbox', { name: 'Edited message' });
  await expect(editor).toHaveValue('What is 2 + 2?');
  await editor.fill('What is 3 + 3?');
  await editor.press('Enter');
  await waitForRunEnd(page);
  await expectQuestions(page, ['What is 3 + 3?']);
  await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('6');
  await expect(userMessages(page).first().getByTestId('version-position')).toHaveText('2 / 2');

  // A second tab of the chat, idle.
  const second = await context.newPage();
  await second.goto(page.url());
  await expectQuestions(second, ['What is 3 + 3?']);

  // Back to the first version: its own answer comes back, here and in the other tab.
  await userMessages(page).first().getByRole('button', { name: 'Previous version' }).click();
  await expectQuestions(page, ['What is 2 + 2?']);
  await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('4');
  await expect(userMessages(page).first().getByTestId('version-position')).toHaveText('1 / 2');
  await expectQuestions(second, ['What is 2 + 2?']);
  await expect(userMessages(second).first().getByTestId('version-position')).toHaveText('1 / 2');
  await second.close();

  // The choice is kept on the server.
  await page.reload();
  await expectQuestions(page, ['What is 2 + 2?']);
  await expect(userMessages(page).first().getByTestId('version-position')).toHaveText('1 / 2');
  await expect(userMessages(page).first().getByRole('button', { name: 'Previous version' })).toBeDisabled();
  await userMessages(page).first().getByRole('button', { name: 'Next version' }).click();
  await expectQuestions(page, ['What is 3 + 3?']);
});

test('regenerate keeps the earlier answer as a version; a follow-up goes on the chosen branch', async ({ page }) => {
  await newChat(page);
  await ask(page, 'What time is it in Tokyo?');
  await waitForRunEnd(page);
  const firstId = await lastAnswer(page).getAttribute('data-message-id');

  await lastAnswer(page).hover();
  await lastAnswer(page).getByRole('button', { name: 'Regenerate' }).click();
  await waitForRunEnd(page);
  await expect(answers(page)).toHaveCount(1);
  await expect(lastAnswer(page).getByTestId('version-position')).toHaveText('2 / 2');
  expect(await lastAnswer(page).getAttribute('data-message-id')).not.toBe(firstId);

  await lastAnswer(page).getByRole('button', { name: 'Previous version' }).click();
  await expect(lastAnswer(page)).toHaveAttribute('data-message-id', firstId ?? '');
  await expect(lastAnswer(page).getByTestId('version-position')).toHaveText('1 / 2');

  await ask(page, 'What is 5 * 5?');
  await waitForRunEnd(page);
  await expectQuestions(page, ['What time is it in Tokyo?', 'What is 5 * 5?']);
  await expect(answers(page).first()).toHaveAttribute('data-message-id', firstId ?? '');
  await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('25');
});

test("Copy message puts the question and the answer's Markdown on the clipboard", async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await newChat(page);
  await ask(page, 'What is 6 * 7?');
  await waitForRunEnd(page);

  await userMessages(page).first().hover();
  await userMessages(page).first().getByRole('button', { name: 'Copy message' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('What is 6 * 7?');

  await lastAnswer(page).hover();
  await lastAnswer(page).getByRole('button', { name: 'Copy message' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('42');
  await expect(lastAnswer(page).getByTestId('copied')).toHaveText('Copied');
});

test.describe('a refused edit', () => {
  // The refusal is a failed request, which Chromium reports on the console.
  test.use({ ignoreFailedRequests: true });

  test('leaves the conversation as saved, says why and gives its text back', async ({ page }) => {
    await newChat(page);
    await ask(page, 'What is 2 + 2?');
    await waitForRunEnd(page);
    // No poll of the chat's run gets through: what the page shows after the refusal is its own doing.
    await page.route('**/api/chats/*/run', (route) => route.abort());
    const question = userMessages(page).first();
    await question.hover();
    await question.getByRole('button', { name: 'Edit message' }).click();
    // Longer than the server takes (MAESTRO_MAX_MESSAGE_CHARS, 16,000 by default): refused with 400.
    const tooLong = 'x'.repeat(16_001);
    await page.getByRole('textbox', { name: 'Edited message' }).fill(tooLong);
    await page.getByRole('textbox', { name: 'Edited message' }).press('Enter');
    await expect(page.getByTestId('chat-notice-message')).toBeVisible();
    await expectQuestions(page, ['What is 2 + 2?']);
    await expect(lastAnswer(page).getByTestId('assistant-text')).toContainText('4');
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue(tooLong);
  });
});
