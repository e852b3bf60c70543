import type { Download } from 'playwright-core';
import { afterAll, afterEach, expect, it } from 'vitest';
import { addAnalysis, closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

it('Telco: a Survival cell by contract shows the month-to-month median of 35 months, the log-rank test, its SQL and the lifetimes', async () => {
  session = await open('./?sample=telco', { acceptDownloads: true });
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });
  const cells = page.getByTestId('cell');
  const cell = await addAnalysis(page, 'Survival (time to churn)');

  // Telco has tenure and a churn flag and no dates: the source says so.
  await expect
    .poll(() => cell.getByTestId('survival-explanation').textContent(), { timeout: 60_000 })
    .toMatch(/tenure in months/);
  expect(await cell.getByRole('combobox', { name: 'Unit' }).isDisabled()).toBe(true);

  // Group by contract (mapped as the plan).
  await cell.getByRole('combobox', { name: 'Group by' }).selectOption('plan');
  const m2m = cell.getByTestId('survival-groups').locator('tr', { hasText: 'Month-to-month' });
  // The issue (Telco reference): month-to-month median 35 months, 95 % CI 32–38
  await expect
    .poll(() => m2m.getByTestId('survival-median').textContent(), { timeout: 60_000 })
    .toBe('35');
  expect(await m2m.textContent()).toContain('32–38');
  expect(await m2m.textContent()).toContain('3,875');
  await expect
    .poll(() => cell.getByTestId('survival-logrank').textContent())
    .toMatch(/3 curves.*df = 2, p < 0\.0001/);
  await cell.getByRole('img', { name: /Kaplan–Meier survival/ }).waitFor();

  // The lifetimes as CSV: one row per contract, tenure and outcome, counts adding up to 7,043.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await cell.getByRole('button', { name: 'Lifetimes as CSV' }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(1);
  const csv = Buffer.concat(await (await downloads[0].createReadStream()).toArray())
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe('group,level,time,churned,count');
  const total = csv.slice(1).reduce((sum, line) => sum + Number(line.split(',').at(-1)), 0);
  expect(total).toBe(7043);

  // "Open the SQL as a cell": the lifetimes statement runs as an editable SQL cell.
  const count = await cells.count();
  await cell.getByRole('button', { name: 'Open the SQL as a cell' }).click();
  await expect.poll(() => cells.count()).toBe(count + 1);
  await expect
    .poll(() => page.getByTestId('result-summary').last().textContent(), { timeout: 60_000 })
    .toMatch(/rows/);
}, 240_000);
