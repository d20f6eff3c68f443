import type { Locator, Page } from '@playwright/test';
import { ask, expect, lastAnswer, LONG_QUESTION, newChat, test, waitForRunEnd } from './fixtures';

/** Every Content-Security-Policy violation of the page, as the browser reports it to the page. */
async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = violations;
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`);
    });
  });
}

const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

/** The tokens Shiki coloured in a code block: spans with a light colour and a dark one. */
const tokensOf = (block: Locator) => block.locator('pre code span[style*="--shiki-dark"]');

/**
 * Each coloured token's computed colour, and the colour its theme gives it for the page's scheme
 * now (the light one in the token's `--sdm-c`, the dark one in `--shiki-dark`), both as the browser
 * computes them.
 */
function tokenColours(block: Locator, scheme: 'light' | 'dark') {
  return tokensOf(block).evaluateAll(
    (spans, property) => {
      const probe = document.createElement('span');
      document.body.append(probe);
      const colours = spans.map((span) => {
        probe.style.color = (span as HTMLElement).style.getPropertyValue(property);
        return { shown: getComputedStyle(span).color, theme: getComputedStyle(probe).color };
      });
      probe.remove();
      return colours;
    },
    scheme === 'light' ? '--sdm-c' : '--shiki-dark',
  );
}

async function expectColouredIn(page: Page, block: Locator, scheme: 'light' | 'dark'): Promise<string[]> {
  await page.emulateMedia({ colorScheme: scheme });
  const colours = await tokenColours(block, scheme);
  for (const { shown, theme } of colours) expect(shown, scheme).toBe(theme);
  const distinct = [...new Set(colours.map(({ shown }) => shown))];
  expect(distinct.length, `${scheme} colours: ${distinct.join(', ')}`).toBeGreaterThan(2);
  return colours.map(({ shown }) => shown);
}

test('a code block in an answer is highlighted in light and dark, within the CSP, and keeps its copy button', async ({ page }) => {
  await recordCspViolations(page);
  const scripts: string[] = [];
  // Every script, the page's and its workers' (a worker's are not of type "script").
  page.context().on('response', (response) => {
    if (new URL(response.url()).pathname.endsWith('.js')) scripts.push(response.url());
  });
  await newChat(page);
  const firstLoad = [...scripts];
  // An answer without a code block first: whatever the page does on its first answer is done.
  await ask(page, 'What is 17 * 23?');
  await waitForRunEnd(page);

  await ask(page, LONG_QUESTION);
  await waitForRunEnd(page);
  const block = lastAnswer(page).locator('[data-streamdown="code-block"][data-language="bash"]');
  await expect(block).toContainText('OPENAI_COMPATIBLE_BASE_URL=http://localhost:11434/v1');
  await expect(tokensOf(block).first()).toBeVisible();

  const light = await expectColouredIn(page, block, 'light');
  const dark = await expectColouredIn(page, block, 'dark');
  expect(dark).not.toEqual(light);
  await expect(block.getByRole('button', { name: 'Copy Code' })).toBeVisible();

  // Shiki came in chunks of its own, after the page's first load, and runs in a worker.
  expect(
    page
      .workers()
      .map((worker) => worker.url())
      .some((url) => url.includes('/_next/static/')),
  ).toBe(true);
  const shikiCore = 'Shiki is supposed to be used as a singleton';
  const later = await Promise.all(
    scripts.filter((url) => !firstLoad.includes(url)).map(async (url) => (await page.request.get(url)).text()),
  );
  expect(later.some((body) => body.includes(shikiCore))).toBe(true);
  for (const url of firstLoad) expect(await (await page.request.get(url)).text(), url).not.toContain(shikiCore);
  // The page, its streams and the highlighter broke no rule of its Content-Security-Policy.
  expect(await cspViolations(page)).toEqual([]);
});

test('a read_file card shows a Markdown file as readable text; JSON outputs stay JSON, long ones folded', async ({ page }) => {
  await newChat(page);
  await ask(page, 'Read notes.md');
  await waitForRunEnd(page);

  const card = page.getByRole('group', { name: 'Tool read_file: done' });
  const output = card.getByTestId('tool-output');
  // 36 lines: folded, with a way to open it.
  await expect(output).toBeHidden();
  const summary = card.getByText(/^Output/);
  await expect(summary).toContainText('path: notes.md');
  await expect(summary).toContainText('(36 lines)');
  await summary.click();
  await expect(output).toBeVisible();
  const text = (await output.textContent()) ?? '';
  expect(text.startsWith('# Project notes\n\nNotes from the weekly Thursday meeting.')).toBe(true);
  expect(text).not.toContain('\\n');
  expect(text).not.toContain('"content"');
  // The file's text once in the card (its last line too, so the whole file).
  expect(text.split('# Project notes').length - 1).toBe(1);
  expect(text.endsWith('(flyers 300, window sign 250, first-week discount 650).\n')).toBe(true);

  // The answer quotes the file in a Markdown code block, highlighted too.
  const quoted = lastAnswer(page).locator('[data-streamdown="code-block"][data-language="markdown"]');
  await expect(tokensOf(quoted).first()).toBeVisible();

  await ask(page, 'What is 17 * 23?');
  await waitForRunEnd(page);
  const calculator = page.getByRole('group', { name: 'Tool calculator: done' });
  await expect(calculator.getByTestId('tool-output')).toBeVisible();
  expect(JSON.parse((await calculator.getByTestId('tool-output').textContent()) ?? '')).toEqual({ expression: '17 * 23', result: '391' });

  await ask(page, 'What files are in the workspace?');
  await waitForRunEnd(page);
  const listing = page.getByRole('group', { name: 'Tool list_files: done' });
  await expect(listing.getByTestId('tool-output')).toBeHidden();
  await listing.getByText(/^Output/).click();
  const entries = JSON.parse((await listing.getByTestId('tool-output').textContent()) ?? '') as { entries: { path: string }[] };
  expect(entries.entries.map((entry) => entry.path)).toContain('notes.md');
});
