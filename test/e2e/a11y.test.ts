import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, expect, it } from 'vitest';
import { addAnalysis, closeBrowser, finish, open, type Session } from './browser.ts';

/**
 * axe-core over every main screen, in the light and the dark theme: no violation of impact
 * serious or critical (WCAG 2.0/2.1 A and AA rules). Moderate and minor ones are printed.
 */

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** A tour loads a sample and runs axe twice per screen: more than the suite's 120 s on a busy machine. */
const TOUR_TIMEOUT = 360_000;

/** One violation, readable: the rule, its impact, where it is and what to do. */
interface Finding {
  screen: string;
  scheme: string;
  id: string;
  impact: string;
  help: string;
  url: string;
  targets: string[];
  summary: string;
}

function describe(f: Finding): string {
  return (
    `[${f.impact}] ${f.id} on "${f.screen}" (${f.scheme}): ${f.help}\n  ${f.url}\n` +
    f.targets.map((t) => `  - ${t}`).join('\n') +
    (f.summary ? `\n  ${f.summary.split('\n').join('\n  ')}` : '')
  );
}

/** Wait until every chart on the page is drawn in `scheme` (PlotChart redraws one per task). */
async function chartsDrawnIn(page: Page, scheme: 'light' | 'dark') {
  await expect
    .poll(
      () =>
        page.evaluate(
          (s) =>
            [...document.querySelectorAll<HTMLElement>('[data-chart-theme]')].every(
              (e) => e.dataset.chartTheme === s,
            ),
          scheme,
        ),
      { timeout: 10_000 },
    )
    .toBe(true);
}

/**
 * Run axe over the page as it is, in the light and then the dark theme. Serious and critical
 * violations are returned; the others are printed so they stay visible.
 */
async function audit(page: Page, screen: string): Promise<Finding[]> {
  const serious: Finding[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // The app follows the system theme on a first visit (src/state/theme.svelte.ts): make sure
    // the dark pass really is dark, then let charts redraw before contrast is measured.
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe(scheme);
    await chartsDrawnIn(page, scheme);
    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    console.log(
      `axe: "${screen}" (${scheme}): ${results.passes.length} rules passed, ` +
        `${results.violations.length} violated, to review by hand: ${results.incomplete.map((r) => r.id).join(', ') || 'none'}`,
    );
    for (const v of results.violations) {
      const finding: Finding = {
        screen,
        scheme,
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        url: v.helpUrl,
        targets: v.nodes.slice(0, 8).map((n) => n.target.join(' ')),
        summary: v.nodes[0]?.failureSummary ?? '',
      };
      if (v.impact === 'serious' || v.impact === 'critical') serious.push(finding);
      else console.log(`axe (not failing): ${describe(finding)}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return serious;
}

/** Fail with every serious or critical violation listed, so the report says what to fix. */
function expectNone(findings: Finding[]) {
  const text = findings.map(describe).join('\n\n');
  expect(findings.length, `axe found serious or critical violations:\n\n${text}`).toBe(0);
}

/**
 * Text drawn on the cells of a heatmap (Plot SVG, which axe does not measure inside an image):
 * each label against the cell under its centre (or its halo), WCAG's 4.5:1 for small text.
 */
async function cellTextContrast(page: Page, name: RegExp) {
  return page
    .getByRole('img', { name })
    .first()
    .evaluate((svg) => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: number[]) => {
        const [r, g, b] = c.map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (a: number[], b: number[]) => {
        const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
      };
      const cells = [...svg.querySelectorAll('rect')]
        .map((r) => ({ box: r.getBoundingClientRect(), fill: getComputedStyle(r).fill }))
        .filter((r) => r.fill.startsWith('rgb'))
        .reverse();
      const bad: string[] = [];
      let checked = 0;
      for (const text of svg.querySelectorAll('text')) {
        const b = text.getBoundingClientRect();
        const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
        const under = cells.find(
          (c) => x >= c.box.left && x <= c.box.right && y >= c.box.top && y <= c.box.bottom,
        );
        if (!under) continue; // an axis label, not on a cell
        checked++;
        const style = getComputedStyle(text);
        // A halo (a stroke painted under the glyphs) is the label's own background.
        const halo = style.stroke.startsWith('rgb') && parseFloat(style.strokeWidth) >= 2;
        const back = halo ? style.stroke : under.fill;
        const r = ratio(rgb(style.fill), rgb(back));
        if (r < 4.5) bad.push(`"${text.textContent}" ${style.fill} on ${back}: ${r.toFixed(2)}:1`);
      }
      return { checked, bad };
    });
}

/** Load a sample and wait for its mapping proposal in the data view. */
async function openSample(id: string) {
  session = await open(`./?sample=${id}`);
  const confirm = session.page.getByRole('button', { name: 'Confirm mapping' });
  await confirm.waitFor({ timeout: 60_000 });
  await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
  return session.page;
}

it('first visit: the empty state, the URL dialog and the Clear-all confirmation', async () => {
  session = await open('./');
  const { page } = session;
  await page.getByRole('heading', { name: /Find out who stays/ }).waitFor({ timeout: 60_000 });
  await expect
    .poll(() => page.getByTestId('engine-status').textContent(), { timeout: 60_000 })
    .not.toBe('Starting…');
  const findings = await audit(page, 'empty state');

  await page.getByRole('button', { name: 'From URL…' }).click();
  const urlDialog = page.getByRole('dialog', { name: 'Load data from a web address' });
  await urlDialog.waitFor();
  findings.push(...(await audit(page, 'URL dialog')));
  // With the message for a bad address showing.
  await urlDialog.getByLabel(/Address of a CSV/).fill('not an address');
  await urlDialog.getByRole('button', { name: 'Load' }).click();
  await urlDialog.getByText('Enter a full web address').waitFor();
  findings.push(...(await audit(page, 'URL dialog with an error')));
  await urlDialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Clear all data' }).click();
  await page.getByRole('dialog', { name: 'Clear all data?' }).waitFor();
  findings.push(...(await audit(page, 'Clear-all confirmation')));
  await page.getByRole('button', { name: 'Keep my data' }).click();
  expectNone(findings);
});

it(
  'Online Retail: mapping proposal, overview, data quality, notebook, audit, report and privacy',
  async () => {
    const page = await openSample('online-retail');
    const findings = await audit(page, 'data view with the Online Retail mapping proposal');

    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
    // The overview's charts drawn, not only its first figure.
    await page.getByRole('img').first().waitFor({ timeout: 60_000 });
    findings.push(...(await audit(page, 'overview')));

    await page.getByRole('link', { name: 'Data quality', exact: true }).click();
    await page
      .getByRole('heading', { name: /quality/i })
      .first()
      .waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    findings.push(...(await audit(page, 'data quality')));

    // The default notebook (KPIs, cohorts, RFM) with a segments and a purchases cell added.
    await page.getByRole('link', { name: 'Notebook', exact: true }).click();
    await page.getByRole('img', { name: /Cohort retention/ }).waitFor({ timeout: 60_000 });
    await page.getByTestId('rfm-segments').waitFor({ timeout: 60_000 });
    findings.push(...(await audit(page, 'notebook: overview, cohorts, RFM')));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect
        .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
        .toBe(scheme);
      await chartsDrawnIn(page, scheme);
      const heatmap = await cellTextContrast(page, /^Cohort retention/);
      expect(heatmap.checked, `cohort heatmap labels found (${scheme})`).toBeGreaterThan(10);
      expect(heatmap.bad, `cohort heatmap labels under 4.5:1 (${scheme})`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.getByRole('heading', { name: '360° retention audit' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Client').fill('Acme Gifts Ltd');
    await page.getByLabel('Client').press('Tab');
    await page
      .getByRole('article', {
        name: 'How strongly the organisation leans to acquisition over retention',
        exact: true,
      })
      .getByLabel('How strongly the organisation leans to acquisition over retention', {
        exact: true,
      })
      .selectOption('8');
    await page.getByRole('button', { name: 'Let the data answer' }).click();
    await page
      .getByRole('group', { name: "The data's answer" })
      .first()
      .waitFor({ timeout: 60_000 });
    findings.push(...(await audit(page, 'audit with answers')));
    await page.getByRole('button', { name: /^Findings and fix plan/ }).click();
    await page.getByRole('button', { name: 'Add the data’s findings' }).click();
    await page.getByRole('table', { name: 'Fix plan' }).locator('tbody tr').first().waitFor();
    findings.push(...(await audit(page, 'audit findings and fix plan')));

    // The report view: the audit as the client receives it.
    await page.getByRole('link', { name: 'Report', exact: true }).click();
    await page.getByTestId('report-sheet').waitFor({ timeout: 60_000 });
    findings.push(...(await audit(page, 'report')));

    await page.getByRole('link', { name: 'Privacy', exact: true }).click();
    await page.getByRole('heading').first().waitFor();
    await page.waitForTimeout(500);
    findings.push(...(await audit(page, 'privacy')));

    await page.getByRole('button', { name: 'Clear all data' }).click();
    await page.getByRole('dialog', { name: 'Clear all data?' }).waitFor();
    findings.push(...(await audit(page, 'Clear-all confirmation with tables')));
    await page.keyboard.press('Escape');
    expectNone(findings);
  },
  TOUR_TIMEOUT,
);

it(
  'Telco: mapping proposal, and the churn model and survival cells',
  async () => {
    const page = await openSample('telco');
    const findings = await audit(page, 'data view with the Telco mapping proposal');
    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });

    const survival = await addAnalysis(page, 'Survival (time to churn)');
    await survival.getByRole('img', { name: /Kaplan–Meier survival/ }).waitFor({ timeout: 60_000 });
    // The notebook made for customers-only data ends with the churn model: train it, evaluated.
    await page.getByRole('heading', { name: 'Who is at risk' }).waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('logistic');
    await page.getByRole('button', { name: 'Train model' }).click();
    await page.getByTestId('churn-confusion').waitFor({ timeout: 120_000 });
    await page.getByRole('img', { name: /ROC curve/ }).waitFor();
    findings.push(...(await audit(page, 'notebook: churn model and survival')));
    expectNone(findings);
  },
  TOUR_TIMEOUT,
);

it(
  'CDNOW: mapping proposal, and the customer future value cell',
  async () => {
    const page = await openSample('cdnow');
    const findings = await audit(page, 'data view with the CDNOW mapping proposal');
    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });
    const clv = await addAnalysis(page, 'Customer future value (BG/NBD)');
    // The fit's outcome, its figures or its plain message (a fit that does not converge).
    await clv
      .getByTestId('clv-params')
      .or(clv.getByTestId('clv-message'))
      .first()
      .waitFor({ timeout: 240_000 });
    findings.push(...(await audit(page, 'notebook: customer future value')));
    expectNone(findings);
  },
  TOUR_TIMEOUT,
);
