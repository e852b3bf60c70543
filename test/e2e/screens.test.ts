import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

/**
 * Every main screen on the shared datasets, as a person sees it: at a 1280 × 800 laptop,
 * at an 820 × 1180 tablet and in dark mode. Each screenshot goes to RETAIN_SCREENS
 * (default /tmp/retain-screens, outside the repository) to be looked at; the test
 * itself checks what can be checked without eyes: no sideways page scroll, the
 * screen's heading on view, nothing drawn over the app bar (also after scrolling,
 * where the bar is sticky), and, in dark mode, no chart left in light-theme colours.
 */
const DIR = process.env.RETAIN_SCREENS ?? '/tmp/retain-screens';
mkdirSync(DIR, { recursive: true });

const LAPTOP = { width: 1280, height: 800 };
const TABLET = { width: 820, height: 1180 };
/** Light palette colours that must not survive into a dark-mode chart (palette.ts). */
const LIGHT_SERIES = ['#1f4e5f', '#c98a12', '#b07810'];

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

/** The checks every screen gets, then its screenshot. */
async function check(page: Page, name: string, heading: RegExp | string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect
    .poll(() => page.getByRole('heading', { name: heading, level: 1 }).first().boundingBox(), {
      timeout: 60_000,
    })
    .not.toBeNull();
  const geometry = await page.evaluate(() => {
    const bar = document.querySelector('header.app-bar');
    if (!bar) return null;
    /** Points across the bar's middle line whose topmost element is not part of the bar. */
    const covered = () => {
      const r = bar.getBoundingClientRect();
      const out: string[] = [];
      for (let x = r.left + 4; x < r.right - 4; x += 24) {
        for (const y of [r.top + 3, r.top + r.height / 2, r.bottom - 3]) {
          const hit = document.elementFromPoint(x, y);
          if (hit && !bar.contains(hit) && !hit.closest('dialog'))
            out.push(`${hit.tagName.toLowerCase()}.${hit.className} at ${x},${y}`);
        }
      }
      return out;
    };
    const atTop = covered();
    window.scrollTo(0, 400);
    const scrolled = covered();
    window.scrollTo(0, 0);
    // The outermost elements that reach past the right edge, to name in a failure.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !(el.parentElement!.getBoundingClientRect().right > window.innerWidth + 1))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return {
      wide,
      scrollWidth: document.scrollingElement!.scrollWidth,
      innerWidth: window.innerWidth,
      covered: [...atTop, ...scrolled],
    };
  });
  // Taken before the checks, so a failing screen can be looked at.
  await page.screenshot({ path: join(DIR, `${name}.png`) });
  expect(geometry, 'the app bar is missing').not.toBeNull();
  expect(
    geometry!.scrollWidth,
    `${name}: the page scrolls sideways (${geometry!.wide})`,
  ).toBeLessThanOrEqual(geometry!.innerWidth);
  expect(geometry!.covered, `${name}: something is drawn over the app bar`).toEqual([]);
}

/** Checks a screen at the laptop size, the tablet size and in dark mode. */
async function screen(page: Page, name: string, heading: RegExp | string) {
  await page.setViewportSize(LAPTOP);
  await check(page, `${name}-laptop`, heading);
  await page.setViewportSize(TABLET);
  await check(page, `${name}-tablet`, heading);
  await page.setViewportSize(LAPTOP);
  await page.getByTestId('theme').selectOption('dark');
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  // Charts are redrawn one per task (PlotChart's drawSoon): wait for the last of them.
  const light = () =>
    page.evaluate(
      (colours) =>
        [...document.querySelectorAll('main svg [fill], main svg [stroke]')]
          .flatMap((el) => [el.getAttribute('fill'), el.getAttribute('stroke')])
          .filter((c) => c !== null && colours.includes(c.toLowerCase())),
      LIGHT_SERIES,
    );
  await expect
    .poll(light, {
      message: `${name}: a chart kept its light colours in dark mode`,
      timeout: 5_000,
    })
    .toEqual([]);
  await check(page, `${name}-dark`, heading);
  await page.getByTestId('theme').selectOption('light');
}

async function go(page: Page, link: string) {
  await page.getByRole('link', { name: link, exact: true }).click();
}

it('the empty screen, and the theme kept over a reload', async () => {
  session = await open('./');
  const { page } = session;
  await screen(page, 'empty', /who stays, who leaves/);
  await page.getByTestId('theme').selectOption('dark');
  await page.reload();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  expect(await page.evaluate(() => localStorage.getItem('retain.theme'))).toBe('dark');
  await expect.poll(() => page.getByTestId('theme').inputValue()).toBe('dark');
  await page.getByTestId('theme').selectOption('system');
  expect(await page.evaluate(() => localStorage.getItem('retain.theme'))).toBeNull();
});

for (const sample of ['online-retail', 'telco', 'cdnow']) {
  it(`every main screen on ${sample}`, async () => {
    session = await open(`./?sample=${sample}`);
    const { page } = session;
    await page.getByRole('button', { name: 'Confirm mapping' }).waitFor({ timeout: 60_000 });
    await screen(page, `${sample}-1-mapping`, /./);
    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    await page.getByRole('heading', { name: /overview/i, level: 1 }).waitFor({ timeout: 60_000 });
    // Every figure of the overview has been computed before the screenshot.
    await page.locator('main figure svg, main [data-testid^="kpi-"]').first().waitFor({
      timeout: 60_000,
    });
    await expect.poll(() => page.getByText('Calculating…').count(), { timeout: 90_000 }).toBe(0);
    await screen(page, `${sample}-2-overview`, /overview/i);

    await go(page, 'Data quality');
    await expect.poll(() => page.getByText('Checking…').count(), { timeout: 90_000 }).toBe(0);
    await screen(page, `${sample}-3-quality`, 'Data quality');

    await go(page, 'Notebook');
    await page.getByTestId('cell').first().waitFor({ timeout: 60_000 });
    // The default notebook's analyses have finished computing.
    await expect.poll(() => page.getByText('Calculating…').count(), { timeout: 120_000 }).toBe(0);
    await screen(page, `${sample}-4-notebook`, /./);
    // The KPI charts, the cohort heatmap and the RFM chart up close, light and dark.
    const figures = {
      kpi: page.locator('main figure').first(),
      heatmap: page.getByRole('figure').filter({ has: page.getByRole('img', { name: /^Cohort/ }) }),
      rfm: page.getByRole('figure').filter({ has: page.getByRole('img', { name: /RFM/ }) }),
    };
    for (const [what, figure] of Object.entries(figures)) {
      if ((await figure.count()) === 0) continue;
      for (const look of ['light', 'dark']) {
        await page.getByTestId('theme').selectOption(look);
        await figure.first().screenshot({ path: join(DIR, `${sample}-4-${what}-${look}.png`) });
      }
    }
    await page.getByTestId('theme').selectOption('light');

    await go(page, 'Report');
    await screen(page, `${sample}-5-report-empty`, 'Report');
    await expect.poll(() => page.getByRole('link', { name: 'Go to the audit' }).count()).toBe(1);

    await go(page, 'Audit');
    await page.getByRole('button', { name: 'Let the data answer' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'answered' }).textContent(), {
        timeout: 60_000,
      })
      .toMatch(/^0 of \d+ answered/);
    await page.getByLabel('Client').fill('Acme Ltd');
    await page.getByLabel('Client').press('Tab');
    const issues = page
      .getByRole('article', { name: 'Known retention issues, most pressing first', exact: true })
      .getByLabel('Known retention issues, most pressing first', { exact: true });
    await issues.fill('Buyers stop after the first order.');
    await issues.press('Tab');
    await screen(page, `${sample}-6-audit`, '360° retention audit');

    // With something recorded, the report shows its sheet: the client's name on it.
    await go(page, 'Report');
    const sheet = page.getByTestId('report-sheet');
    await sheet.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => sheet.evaluate((el) => el.shadowRoot?.textContent ?? ''), { timeout: 30_000 })
      .toContain('Prepared for Acme Ltd');
    // The data's figures go in by themselves: the KPI tiles replace "No data was loaded".
    // (Telco has customers only: the audit's tiles are order figures, so the note says so.)
    await expect
      .poll(() => sheet.evaluate((el) => el.shadowRoot?.textContent ?? ''), { timeout: 90_000 })
      .not.toContain('No data was loaded');
    if (sample === 'telco')
      expect(await sheet.evaluate((el) => el.shadowRoot?.textContent)).toContain(
        'The data loaded has no orders',
      );
    if (sample === 'online-retail') {
      // SOURCE.md's clean subset: 4,338 customers (the audit e2e reads the same figure).
      expect(await sheet.evaluate((el) => el.shadowRoot?.textContent)).toContain('4,338');
    }
    await expect
      .poll(() => page.getByText(/^Reading the data/).count(), { timeout: 90_000 })
      .toBe(0);
    await screen(page, `${sample}-7-report`, 'Report');
    // Printed, the app bar and the report's own toolbar are gone and the sheet stays white.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      bar: getComputedStyle(document.querySelector('header.app-bar')!).display,
      toolbar: getComputedStyle(document.querySelector('.report header')!).display,
    }));
    expect(printed).toEqual({ bar: 'none', toolbar: 'none' });
    await page.pdf({ path: join(DIR, `${sample}-7-report.pdf`), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });

    await go(page, 'Privacy');
    await screen(page, `${sample}-8-privacy`, /Privacy/);
  }, 420_000);
}
