import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, expect, inject, it } from 'vitest';
import { datasets } from '../support/data.ts';
import { closeBrowser, finish, open, type Session } from './browser.ts';

/**
 * A consultant's first run, from the empty page to the Retention overview's figures,
 * for each shared dataset, counting what the person does (clicks, a file chosen, a
 * file dropped). The figures come from each dataset's SOURCE.md.
 */
let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const shots = process.env.RETAIN_SHOTS;
async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** The empty state: one sentence on what Retain does and that data stays here, three ways in. */
async function emptyState(page: Page) {
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 30_000 });
  const lede = await page.locator('.lede').textContent();
  expect(lede).toMatch(/in your browser/);
  expect(lede).toMatch(/never leaves this machine/);
  for (const way of ['Drop files', 'Pick files', 'Try a sample']) {
    await page.getByRole('heading', { name: way }).waitFor();
  }
  // The guided audit is reachable before any data is loaded too.
  expect(await page.getByRole('link', { name: 'Start the audit' }).getAttribute('href')).toBe(
    '#audit',
  );
}

/** The proposal, with what it found, then one Confirm: the overview opens. */
async function confirmProposal(page: Page, table: string, found: string) {
  await page.getByText(`What does ${table} hold?`).waitFor({ timeout: 60_000 });
  await page.getByText(found).first().waitFor({ timeout: 30_000 });
  await shot(page, `mapping-${table}`);
  const confirm = page.getByRole('button', { name: 'Confirm mapping' });
  await expect.poll(() => confirm.isEnabled(), { timeout: 30_000 }).toBe(true);
  await confirm.click();
  await page.getByRole('heading', { name: 'Retention overview', level: 1 }).waitFor({
    timeout: 60_000,
  });
  expect(new URL(page.url()).hash).toBe('#overview');
}

/** "Start the audit" opens the audit at its first open question while the data proposes answers. */
async function startAudit(page: Page) {
  await page.getByRole('link', { name: 'Start the audit' }).click();
  await page.getByRole('heading', { name: '360° retention audit' }).waitFor({ timeout: 30_000 });
  // The first question of section 1 has the focus (nothing is answered yet).
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 })
    .toBe('q-overall-known_issues');
  // The data's answers: proposals appear without asking.
  await expect
    .poll(() => page.getByRole('button', { name: /Ask the data again/ }).count(), {
      timeout: 60_000,
    })
    .toBe(1);
}

it('Online Retail, as a sample: 2 clicks to the KPIs, cohort heatmap and RFM segments', async () => {
  session = await open('./');
  const { page } = session;
  await emptyState(page);
  await shot(page, '1-empty');
  let actions = 0;
  await page.getByRole('button', { name: 'Online Retail' }).click();
  actions++;
  // SOURCE.md: 135,080 rows have no CustomerID, and the clean subset has 397,884 rows.
  const counted = page.getByTestId('rows-counted');
  await expect.poll(() => counted.textContent(), { timeout: 60_000 }).toBe('397,884');
  await confirmProposal(page, 'online_retail', 'no customer id (135,080 rows)');
  actions++;
  await shot(page, '2-overview-retail');
  expect(actions).toBeLessThanOrEqual(3);

  // SOURCE.md's clean subset: 4,338 customers, 18,532 invoices, revenue 8,911,407.90.
  await expect
    .poll(() => page.getByTestId('kpi-customers').textContent(), { timeout: 60_000 })
    .toBe('4,338');
  expect(await page.getByTestId('kpi-orders').textContent()).toBe('18,532');
  expect(await page.getByTestId('kpi-revenue').textContent()).toBe('£8,911,407.90');
  // The cohort heatmap and the RFM segments, on the same page.
  await page.getByRole('heading', { name: 'Cohort retention' }).waitFor();
  await page
    .getByRole('img', { name: /^Cohort retention\./ })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'RFM segments' }).waitFor();
  await page.getByText('Champions').first().waitFor({ timeout: 60_000 });
  await shot(page, '3-overview-retail-full');

  await startAudit(page);
  await shot(page, '4-audit');
});

it('CDNOW, a picked file: choose it, confirm, and the KPIs show', async () => {
  session = await open('./');
  const { page } = session;
  await emptyState(page);
  let actions = 0;
  await page
    .getByRole('region', { name: /Find out who stays/ })
    .locator('input[type=file]')
    .setInputFiles(join(inject('sharedData'), datasets.cdnowMaster));
  actions++;
  await confirmProposal(page, 'cdnow_master', 'Recognised');
  actions++;
  await shot(page, '5-overview-cdnow');
  expect(actions).toBeLessThanOrEqual(4);
  /*
   * SOURCE.md: 23,570 customers; 80 rows of $0.00, left out as zero amounts by default.
   * Customers whose every purchase is $0.00 drop out with them: counted over the file
   * with Python (customers with any dollar_value > 0) = 23,502.
   */
  await expect
    .poll(() => page.getByTestId('kpi-customers').textContent(), { timeout: 60_000 })
    .toBe('23,502');
  await page
    .getByRole('img', { name: /^Cohort retention\./ })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'RFM segments' }).waitFor();
});

it('Telco, a dropped file: customers only, so churn figures and which table would add the rest', async () => {
  session = await open('./');
  const { page } = session;
  await emptyState(page);
  let actions = 0;
  const bytes = (await readFile(join(inject('sharedData'), datasets.telco))).toString('base64');
  await page.evaluate(
    ([b64, name]) => {
      const data = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'text/csv' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        window.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    },
    [bytes, 'WA_Fn-UseC_-Telco-Customer-Churn.csv'],
  );
  actions++;
  await confirmProposal(page, 'wa_fn_usec_telco_customer_churn', 'Recognised');
  actions++;
  await shot(page, '6-overview-telco');
  expect(actions).toBeLessThanOrEqual(4);
  // SOURCE.md: 7,043 customers, Churn = Yes 1,869 (26.54 %).
  await expect
    .poll(() => page.getByTestId('kpi-customers').textContent(), { timeout: 60_000 })
    .toBe('7,043');
  expect(await page.getByTestId('kpi-churned').textContent()).toBe('1,869');
  expect(await page.getByTestId('kpi-churn-rate').textContent()).toMatch(/^26\.5/);
  // SOURCE.md: Month-to-month 3,875 / One year 1,473 / Two year 1,695.
  const plans = page.getByTestId('churn-by-plan').locator('tbody tr');
  const firstTwo = async (i: number) =>
    (await plans.nth(i).locator('th, td').allTextContents()).slice(0, 2);
  expect(await plans.count()).toBe(3);
  expect([await firstTwo(0), await firstTwo(1), await firstTwo(2)]).toEqual([
    ['Month-to-month', '3,875'],
    ['Two year', '1,695'],
    ['One year', '1,473'],
  ]);
  // What it cannot show, and the table that would.
  await page.getByText('need an orders table (customer ID, order date and amount)').waitFor();
  await page
    .getByTestId('gaps')
    .getByText(/Cohort retention/)
    .waitFor();
  await page.getByRole('link', { name: 'Start the audit' }).waitFor();
});
