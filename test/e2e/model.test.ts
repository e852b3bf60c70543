import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

it('Online Retail sample: accept the proposed mapping and see the KPIs of the clean subset', async () => {
  session = await open('./?sample=online-retail');
  const { page } = session;
  // The proposal is shown for confirmation, with every exclusion counted (SOURCE.md figures).
  await page.getByText('What does online_retail hold?').waitFor({ timeout: 60_000 });
  await expect
    .poll(() => page.getByTestId('rows-counted').textContent(), { timeout: 30_000 })
    .toBe('397,884');
  await page.getByText('no customer id (135,080 rows)').waitFor();
  await page.getByRole('button', { name: 'Confirm mapping' }).click();

  await expect
    .poll(() => page.getByTestId('kpi-customers').textContent(), { timeout: 60_000 })
    .toBe('4,338');
  expect(await page.getByTestId('kpi-orders').textContent()).toBe('18,532');
  expect(await page.getByTestId('kpi-revenue').textContent()).toBe('£8,911,407.90');
  await page
    .getByTestId('window-method')
    .getByText(/90th percentile/)
    .waitFor();
  // The table per period and its charts follow the headline figures.
  await page.getByRole('img', { name: /Revenue per month/ }).waitFor();
  expect(await page.getByRole('img', { name: /Revenue per month/ }).count()).toBe(1);

  // The DOMAIN.md unit economics example reproduces with price 80, margin 50 %, CAC 25.
  await page.getByLabel('Price per purchase').fill('80');
  const cells = await page.getByTestId('unit-economics').locator('tbody tr').allTextContents();
  expect(cells.slice(0, 3).map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
    '1£15.00£15.001',
    '2£40.00£55.004',
    '3£40.00£95.007',
  ]);

  // The mapping survives a reload; the overview comes back with the same figures.
  await page.reload();
  await page.getByRole('link', { name: /Overview/ }).click();
  await expect
    .poll(() => page.getByTestId('kpi-customers').textContent(), { timeout: 60_000 })
    .toBe('4,338');

  await page.getByRole('link', { name: /Data quality/ }).click();
  await page
    .getByTestId('quality-report')
    .getByText('No customer ID', { exact: true })
    .first()
    .waitFor({ timeout: 60_000 });
});

it('refuses a mapping that cannot work, naming the column, the count and examples', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByLabel('Kind of table').selectOption('orders');
  await page.getByLabel('Customer ID').selectOption('customerID');
  await page.getByLabel('Order date').selectOption('gender');
  await page.getByLabel('Amount', { exact: true }).selectOption('PaymentMethod');
  await page.getByRole('button', { name: 'Confirm mapping' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Cannot use this mapping' });
  await alert.first().waitFor({ timeout: 30_000 });
  const text = (await alert.first().textContent()) ?? '';
  expect(text).toMatch(/7,043 of 7,043 values in gender cannot be read as a date/);
  expect(text).toMatch(/row 1: “Female”/);
});

it('two files at once, the second still reading when the first is confirmed: its proposal follows', async () => {
  // A JSON export is parsed in the decoder worker while the data engine is idle, so the
  // first table's confirmation can finish before the second file is read.
  const dir = await mkdtemp(join(tmpdir(), 'retain-two-files-'));
  const big = join(dir, 'web_orders.json');
  const day = 86_400_000;
  const start = Date.UTC(2023, 0, 1);
  const rows = Array.from({ length: 300_000 }, (_, i) => ({
    order_id: `W${i + 1}`,
    customer_id: `C${(i % 5000) + 1}`,
    order_date: new Date(start + (i % 365) * day).toISOString().slice(0, 10),
    amount: 10 + (i % 7),
  }));
  await writeFile(big, JSON.stringify(rows));
  session = await open('./');
  const { page } = session;
  await page
    .locator('input[type=file]')
    .first()
    .setInputFiles([join(import.meta.dirname, '../fixtures/feedback/customers.csv'), big]);
  await page.getByText('What does customers_2 hold?').waitFor({ timeout: 60_000 });
  const confirm = page.getByRole('button', { name: 'Confirm mapping' });
  await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
  // The second file is still being read when the first proposal is confirmed.
  expect(await page.getByTestId('task').filter({ hasText: 'web_orders.json' }).count()).toBe(1);
  await confirm.click();
  await page
    .getByTestId('mapping-status')
    .getByText('Used in the retention model')
    .waitFor({ timeout: 60_000 });
  // The app stays on the Data view while it reads, then proposes the second table. The view
  // is chosen once the confirmation returns, a moment after its status shows.
  await expect.poll(() => new URL(page.url()).hash, { timeout: 10_000 }).not.toBe('');
  expect(new URL(page.url()).hash).toBe('#data');
  await page.getByText('What does web_orders hold?').waitFor({ timeout: 90_000 });
  expect(new URL(page.url()).hash).toBe('#data');
  await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
  await confirm.click();
  await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });
  // 300,000 orders of 5,000 customers (order i belongs to customer i mod 5,000).
  await expect
    .poll(() => page.getByTestId('kpi-orders').textContent(), { timeout: 60_000 })
    .toBe('300,000');
  expect(await page.getByTestId('kpi-customers').textContent()).toBe('5,000');
  // A file opened from the app bar while on the overview: its proposal is shown on the Data view.
  await page
    .locator('input[type=file]')
    .first()
    .setInputFiles(join(import.meta.dirname, '../fixtures/feedback/nps_responses.csv'));
  await page.getByText('What does nps_responses hold?').waitFor({ timeout: 60_000 });
  expect(new URL(page.url()).hash).toBe('#data');
});
