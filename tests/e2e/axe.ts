import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const COLOR_SCHEMES = ['light', 'dark'] as const;
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One line per failing rule: its id, its impact, what it wants and where it failed. */
function describe(violations: Violation[]): string[] {
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
        .slice(0, 5)
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
}

/** Lets colour transitions that a scheme change started finish, so axe sees the final colours. */
async function waitForTransitions(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => !(animation instanceof CSSTransition)));
}

/**
 * Runs axe (every rule except the experimental ones) on the page as it is, in light and in dark,
 * and fails on any violation of impact serious or critical. The page is left in light.
 */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const found: string[] = [];
  for (const colorScheme of COLOR_SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await waitForTransitions(page);
    const { violations } = await new AxeBuilder({ page }).analyze();
    const blocking = violations.filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ''));
    found.push(...describe(blocking).map((line) => `${colorScheme}: ${line}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(found, `serious or critical accessibility violations on ${label}`).toEqual([]);
}
