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
