import { ask, chooseModel, expect, modelPicker, newChat, openModelMenu, test, waitForRunEnd } from './fixtures';

// The e2e server has the offline model and a local server (`unreachable`); no Google or OpenAI key.
const OFFLINE = 'Maestro (offline)';
const LOCAL = 'unreachable (local)';

test.describe('the model picker', () => {
  test('lists the available models by provider and folds the others under "Add a provider"', async ({ page }) => {
    await newChat(page);
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${OFFLINE}`);
    await expect(modelPicker(page)).toHaveAttribute('aria-haspopup', 'menu');
    const menu = await openModelMenu(page);
    await expect(modelPicker(page)).toHaveAttribute('aria-expanded', 'true');

    await expect(menu.getByRole('group', { name: 'Offline' }).getByRole('menuitemradio')).toHaveAccessibleName(OFFLINE);
    await expect(menu.getByRole('group', { name: 'Local (OpenAI-compatible)' }).getByRole('menuitemradio')).toHaveAccessibleName(LOCAL);
    await expect(menu.getByRole('menuitemradio', { name: OFFLINE })).toHaveAttribute('aria-checked', 'true');
    await expect(menu.getByRole('menuitemradio', { name: LOCAL })).toHaveAttribute('aria-checked', 'false');
    await expect(menu.getByRole('menuitemradio')).toHaveCount(2); // no unavailable model to pick

    const add = menu.getByRole('menuitem', { name: 'Add a provider' });
    await expect(add).toHaveAttribute('aria-expanded', 'false');
    await expect(menu.getByText('GOOGLE_GENERATIVE_AI_API_KEY')).toHaveCount(0);
    await add.click();
    await expect(add).toHaveAttribute('aria-expanded', 'true');
    const gemini = menu.getByRole('menuitem', { name: 'Google Gemini — set GOOGLE_GENERATIVE_AI_API_KEY' });
    await expect(gemini).toHaveAttribute('aria-disabled', 'true');
    await expect(menu.getByRole('menuitem', { name: 'OpenAI — set OPENAI_API_KEY' })).toHaveAttribute('aria-disabled', 'true');
    await expect(menu.getByRole('menuitem', { name: /OPENAI_COMPATIBLE_BASE_URL/ })).toHaveCount(0); // configured here

    await gemini.click({ force: true }); // a provider that is off cannot be chosen
    await expect(menu).toBeVisible();
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${OFFLINE}`);

    await page.getByRole('log', { name: 'Conversation' }).click({ position: { x: 10, y: 10 } }); // outside
    await expect(menu).toBeHidden();
    await expect(modelPicker(page)).toHaveAttribute('aria-expanded', 'false');
  });

  test('works with the keyboard alone', async ({ page }) => {
    await newChat(page);
    const box = page.getByRole('textbox', { name: 'Message' });
    const picker = modelPicker(page);
    const menu = page.getByRole('menu', { name: 'Models' });
    const item = (name: string) => menu.getByRole('menuitemradio', { name });
    const add = menu.getByRole('menuitem', { name: 'Add a provider' });
    await openModelMenu(page); // once hydrated, the keyboard alone from here
    await page.keyboard.press('Escape');

    await box.focus();
    await page.keyboard.press('Tab');
    await expect(picker).toBeFocused();
    await page.keyboard.press('Enter'); // opens on the chosen model
    await expect(item(OFFLINE)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(item(LOCAL)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(add).toBeFocused();
    await page.keyboard.press('ArrowDown'); // wraps
    await expect(item(OFFLINE)).toBeFocused();
    await page.keyboard.press('End');
    await expect(add).toBeFocused();
    await page.keyboard.press('Home');
    await expect(item(OFFLINE)).toBeFocused();

    // "Add a provider": Enter unfolds it in place, Left folds it back from inside.
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect(add).toHaveAttribute('aria-expanded', 'true');
    await expect(add).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: /^Google Gemini/ })).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(add).toHaveAttribute('aria-expanded', 'false');
    await expect(add).toBeFocused();
    await page.keyboard.press('ArrowRight'); // unfolds and goes in
    await expect(menu.getByRole('menuitem', { name: /^Google Gemini/ })).toBeFocused();

    // Escape closes and gives focus back; nothing changed.
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(picker).toBeFocused();
    await expect(picker).toHaveAccessibleName(`Model: ${OFFLINE}`);

    // ArrowUp opens on the last item; a letter jumps to the model it starts; Space chooses.
    await page.keyboard.press('ArrowUp');
    await expect(add).toBeFocused();
    await expect(add).toHaveAttribute('aria-expanded', 'false'); // folded again on opening
    await page.keyboard.press('u');
    await expect(item(LOCAL)).toBeFocused();
    await page.keyboard.press(' ');
    await expect(menu).toBeHidden();
    await expect(picker).toBeFocused();
    await expect(picker).toHaveAccessibleName(`Model: ${LOCAL}`);

    // Shift+Tab leaves the open menu for the control before the picker.
    await page.keyboard.press('ArrowDown');
    await expect(item(LOCAL)).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(menu).toBeHidden();
    await expect(box).toBeFocused();
  });

  test('keeps the choice per chat; a new chat starts from the last choice', async ({ page }) => {
    const first = await newChat(page);
    await chooseModel(page, LOCAL);
    await page.reload();
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${LOCAL}`);

    const second = await newChat(page);
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${LOCAL}`);
    await chooseModel(page, OFFLINE);

    await page.goto(`/chat/${first}`);
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${LOCAL}`);
    await page.goto(`/chat/${second}`);
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${OFFLINE}`);
    await newChat(page);
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${OFFLINE}`);
  });

  test('a chat this browser has no choice for keeps the model that answered it', async ({ page }) => {
    const answered = await newChat(page);
    await ask(page, 'What is 12 * 7?');
    await waitForRunEnd(page);
    await newChat(page);
    await chooseModel(page, LOCAL); // the last choice, made elsewhere

    await page.evaluate(() => window.localStorage.removeItem('maestro:model-by-chat')); // as in another browser
    await page.goto(`/chat/${answered}`);
    await expect(modelPicker(page)).toHaveAccessibleName(`Model: ${OFFLINE}`);
  });
});
