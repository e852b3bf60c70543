import type { Page } from 'playwright-core';
import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

/**
 * The core path with the keyboard alone (no click anywhere): a sample, its mapping, the
 * overview, a notebook cell added and run, an audit answer, and the Clear-all confirmation
 * cancelled with Escape. At every stop the focused element must show a focus indicator.
 */

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

/** What has focus: a readable name, and whether an outline or a shadow shows it. */
interface Focus {
  name: string;
  tag: string;
  visible: boolean;
}

async function focused(page: Page): Promise<Focus> {
  // CodeMirror marks itself focused a moment after the focus event (its DOM observer).
  if (await page.evaluate(() => !!document.activeElement?.closest('.cm-editor'))) {
    await page.waitForTimeout(100);
  }
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: '(nothing)', tag: 'body', visible: false };
    const shows = (e: Element) => {
      const s = getComputedStyle(e);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      return outline || s.boxShadow !== 'none';
    };
    // CodeMirror draws its focus ring on the editor around the focused content.
    const editor = el.closest('.cm-editor');
    const name = (
      el.getAttribute('aria-label') ||
      (el as HTMLInputElement).labels?.[0]?.textContent ||
      el.textContent ||
      (el as HTMLInputElement).value ||
      ''
    )
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80);
    return {
      name,
      tag: el.tagName.toLowerCase(),
      visible: shows(el) || (!!editor && shows(editor)),
    };
  });
}

/** Every focus stop passed through, with the ones that showed no focus indicator. */
const invisible: string[] = [];

/**
 * Press Tab (or Shift+Tab) until the focused element matches; every stop on the way must
 * show its focus. CodeMirror keeps Tab for indenting: Escape then Tab leaves the editor.
 */
async function tabTo(
  page: Page,
  target: (f: Focus) => boolean,
  { back = false, limit = 400 } = {},
): Promise<Focus> {
  for (let i = 0; i < limit; i++) {
    const before = await focused(page);
    if (
      before.tag === 'div' &&
      (await page.evaluate(() => !!document.activeElement?.closest('.cm-editor')))
    ) {
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (!now.visible) invisible.push(`${now.tag} "${now.name}"`);
    if (target(now)) return now;
  }
  throw new Error(
    `Pressed ${back ? 'Shift+Tab' : 'Tab'} ${limit} times without reaching the target.`,
  );
}

const named = (re: RegExp, tag?: string) => (f: Focus) =>
  re.test(f.name) && (!tag || f.tag === tag);

it('keyboard only: sample, mapping, overview, notebook cell, audit answer, Clear-all cancelled', async () => {
  session = await open('./');
  const { page } = session;
  await page.getByRole('heading', { name: /Find out who stays/ }).waitFor({ timeout: 60_000 });

  // The first stop is the skip link, shown when focused.
  await page.keyboard.press('Tab');
  expect((await focused(page)).name).toBe('Skip to content');
  expect(await page.getByRole('link', { name: 'Skip to content' }).isVisible()).toBe(true);
  // Enter moves focus to the view, past the app bar, and leaves the view as it was.
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
  expect(new URL(page.url()).hash).toBe('');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);

  // Empty state: open the Online Retail sample.
  await tabTo(page, named(/^Online Retail$/, 'button'));
  await page.keyboard.press('Enter');

  // Data view: review the proposed mapping (its first control is reachable), then confirm it.
  const confirm = page.getByRole('button', { name: 'Confirm mapping' });
  await confirm.waitFor({ timeout: 60_000 });
  await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
  await tabTo(page, named(/^Kind of table$/, 'select'));
  await tabTo(page, named(/^Confirm mapping$/, 'button'));
  await page.keyboard.press('Enter');
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  expect(new URL(page.url()).hash).toBe('#overview');

  // The notebook through the app bar (Shift+Tab back to its links), then Enter.
  await tabTo(page, named(/^Notebook/, 'a'), { back: true });
  await page.keyboard.press('Enter');
  const cells = page.getByTestId('cell');
  await cells.first().waitFor({ timeout: 60_000 });
  await page.getByTestId('rfm-segments').waitFor({ timeout: 60_000 });
  const before = await cells.count();

  // Add an analysis from the last "Add an analysis" list: typing "f" picks
  // "First and second purchase", which runs as soon as it is added.
  const lastAdd = page.getByRole('combobox', { name: 'Add an analysis' }).last();
  const lastAddId = await lastAdd.evaluate((el) => {
    el.dataset.kbTarget = 'yes';
    return 'yes';
  });
  expect(lastAddId).toBe('yes');
  const isLastAdd = () =>
    page.evaluate(() => document.activeElement?.getAttribute('data-kb-target') === 'yes');
  await tabTo(page, named(/^Add an analysis$/, 'select'));
  while (!(await isLastAdd())) await tabTo(page, named(/^Add an analysis$/, 'select'));
  await page.keyboard.press('f');
  await expect.poll(() => cells.count()).toBe(before + 1);
  const added = cells.nth(before);
  expect(await added.getAttribute('data-kind')).toBe('analysis');
  await added.getByRole('img').first().waitFor({ timeout: 60_000 });

  // A SQL cell after it ("+ SQL" in the bar below the new cell), run with its Run button.
  await tabTo(page, named(/^\+ SQL$/, 'button'));
  await page.keyboard.press('Enter');
  await expect.poll(() => cells.count()).toBe(before + 2);
  const sql = cells.nth(before + 1);
  expect(await sql.getAttribute('data-kind')).toBe('sql');
  await tabTo(page, named(/^Run$/, 'button'));
  await page.keyboard.press('Enter');
  await expect
    .poll(() => sql.getByTestId('result-summary').textContent(), { timeout: 60_000 })
    .toMatch(/100 rows/);

  // The audit: back to the app bar, then answer the first rating question.
  await tabTo(page, named(/^Audit/, 'a'), { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '360° retention audit' }).waitFor({ timeout: 30_000 });
  await tabTo(page, named(/How strongly the organisation leans/, 'select'));
  await page.keyboard.press('ArrowDown');
  await expect
    .poll(() => page.getByRole('status').filter({ hasText: 'answered' }).textContent(), {
      timeout: 30_000,
    })
    .toContain('1 of 89 answered');

  // Clear all data: open the confirmation, cancel it with Escape; focus returns to the trigger.
  await tabTo(page, named(/^Clear all data$/, 'button'), { back: true });
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Clear all data?' });
  await dialog.waitFor();
  const inDialog = await focused(page);
  expect(inDialog.visible).toBe(true);
  expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  const back = await focused(page);
  expect(back.name).toBe('Clear all data');
  expect(back.visible).toBe(true);
  // The data is still there.
  expect(await page.getByTestId('engine-status').textContent()).not.toBe('Engine stopped');
  await page.getByRole('heading', { name: '360° retention audit' }).waitFor();

  expect(
    invisible,
    `focus stops without a visible focus indicator:\n${invisible.join('\n')}`,
  ).toEqual([]);
}, 300_000); // hundreds of key presses and a sample load: more than 120 s on a busy machine
