import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { addAnalysis, closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const programme = (name: string) => join(import.meta.dirname, '../fixtures/programme', name);

it('a programme table and its orders: the lift cell compares treatment with holdout (figures from lift-suite.ts)', async () => {
  session = await open('./');
  const { page } = session;
  await page.getByRole('heading', { name: /who stays, who leaves/ }).waitFor({ timeout: 60_000 });
  // Each load proposes a mapping of its table for confirmation: the members, then the orders.
  for (const [file, heading] of [
    ['members.csv', 'What does members hold?'],
    ['orders.csv', 'What does orders'],
  ]) {
    await page.locator('input[type=file]').first().setInputFiles(programme(file));
    // A confirmed mapping moves on to the overview; the next proposal waits on the Data page.
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    await page.getByText(heading).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    await page.getByRole('button', { name: 'Confirm mapping' }).waitFor({ state: 'detached' });
  }
  const cells = page.getByTestId('cell');
  const cell = await addAnalysis(page, 'Programme lift (treatment vs holdout)');

  // Month 1: 6 of 10 treatment customers against 3 of 10 holdout customers, +30 points,
  // Wald 0.3 ± 0.4158 → −11.6 to +71.6; 1,377 per group for a 5-point lift over 30 %.
  const month1 = cell.getByTestId('lift-periods').locator('tbody tr').first();
  await expect
    .poll(() => month1.locator('td').allTextContents(), { timeout: 60_000 })
    .toEqual(expect.arrayContaining(['60.0 % (6/10)', '30.0 % (3/10)', '+30.0', '-11.6 to +71.6']));
  expect(await cell.getByTestId('lift-sample-size').textContent()).toBe('1,377');
  await cell.getByRole('img', { name: /Retention: treatment − holdout/ }).waitFor();

  // A 10-point lift needs 356 per group.
  await cell.getByLabel('Lift to detect (points)').fill('10');
  await cell.getByLabel('Lift to detect (points)').press('Enter');
  await cell.getByLabel('Lift to detect (points)').blur();
  await expect.poll(() => cell.getByTestId('lift-sample-size').textContent()).toBe('356');

  // The SQL opens as a cell of its own.
  const count = await cells.count();
  await cell.getByRole('button', { name: 'Open the SQL as a cell' }).click();
  await expect.poll(() => cells.count()).toBe(count + 1);
});

it('Online Retail: a scenario forecast with a what-if churn rate', async () => {
  session = await open('./?sample=online-retail');
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  const cell = await addAnalysis(page, 'Scenario forecast');
  const rows = cell.getByTestId('forecast-scenarios').locator('tbody tr');
  await expect.poll(() => rows.count(), { timeout: 90_000 }).toBe(1);
  // The data end in December 2011 (SOURCE.md), so the forecast starts from November 2011's end.
  expect(await cell.getByTestId('forecast-basis').textContent()).toMatch(/to 2011-11/);

  await cell.getByLabel('What-if churn rates (% per period)').fill('2, 50');
  await cell.getByLabel('What-if churn rates (% per period)').press('Enter');
  await cell.getByLabel('What-if churn rates (% per period)').blur();
  await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(3);
  expect(await rows.nth(1).locator('td').first().textContent()).toBe('2.0 %');
  expect(await rows.nth(2).locator('td').first().textContent()).toBe('50.0 %');
  // Half the customers lost each month leaves far fewer than 2 % does.
  const customers = async (i: number) =>
    Number((await rows.nth(i).locator('td').nth(1).textContent())!.replace(/\D/g, ''));
  expect(await customers(2)).toBeLessThan(await customers(1));
  await cell.getByRole('img', { name: /Forecast: active customers/ }).waitFor();

  // A rate that is not a percentage is refused with the fix.
  await cell.getByLabel('What-if churn rates (% per period)').fill('abc');
  await cell.getByLabel('What-if churn rates (% per period)').blur();
  await cell.getByText(/must be percentages from 0 to 100/).waitFor();
});
