import type { Download } from 'playwright-core';
import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

it('Telco: train a churn model in the worker, cancel, evaluate, export the call list, save the model and score with it', async () => {
  session = await open('./?sample=telco', { acceptDownloads: true });
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  // Customers only: the notebook made for this data ends with the churn model.
  await page.getByRole('heading', { name: 'Who is at risk' }).waitFor({ timeout: 60_000 });

  // The label is explained before training.
  await expect
    .poll(() => page.getByTestId('churn-label').textContent(), { timeout: 60_000 })
    .toMatch(/mapped churn column/);

  // Cancel stops a long run at once and leaves the page usable.
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('mlp');
  await page.getByLabel('5-fold cross-validation').check();
  await page.getByRole('button', { name: 'Train model' }).click();
  await page.getByRole('img', { name: /Training progress/ }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Training was cancelled').waitFor({ timeout: 5_000 });
  expect(await page.getByRole('button', { name: 'Train model' }).isEnabled()).toBe(true);

  // Logistic regression with 5-fold cross-validation.
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('logistic');
  await page.getByRole('button', { name: 'Train model' }).click();
  const cv = page.getByTestId('churn-cv');
  await cv.waitFor({ timeout: 120_000 });
  const meanAuc = Number((await cv.textContent())!.split('±')[0].trim());
  expect(meanAuc).toBeGreaterThanOrEqual(0.845);
  await page.getByTestId('churn-confusion').waitFor();
  for (const chart of [
    'ROC curve',
    'Precision–recall curve',
    'Calibration',
    'Cumulative gains',
    'Permutation importance',
  ]) {
    await page.getByRole('img', { name: new RegExp(chart) }).waitFor();
  }
  // Moving the threshold changes the confusion matrix.
  const before = await page.getByTestId('churn-confusion').textContent();
  await page.getByRole('slider').fill('0.9');
  await expect.poll(() => page.getByTestId('churn-confusion').textContent()).not.toBe(before);

  // The call list: customers who have not left (7,043 − 1,869 = 5,174), as CSV.
  const scores = page.getByTestId('churn-scores');
  expect(await scores.locator('tbody tr').count()).toBe(25);
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByRole('button', { name: 'Download 5,174 as CSV' }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(1);
  const csv = Buffer.concat(await (await downloads[0].createReadStream()).toArray())
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe(
    'customer_id,risk,risk_decile,value,risk_x_value,churned,driver_1,driver_2,driver_3',
  );
  expect(csv.length - 1).toBe(5174);

  // Risk deciles are a table other cells can use.
  await page.getByRole('button', { name: 'Risk deciles as a SQL cell' }).click();
  await expect
    .poll(() => page.getByTestId('result-summary').last().textContent(), { timeout: 60_000 })
    .toMatch(/^10 rows/);

  // Save the model, then score the data with it.
  await page.getByPlaceholder('e.g. Telco churn, Nov 2026').fill('Telco LR');
  await page.getByRole('button', { name: 'Save this model' }).click();
  const saved = page
    .getByTestId('churn-models')
    .getByRole('listitem')
    .filter({ hasText: 'Telco LR' });
  await saved.waitFor({ timeout: 10_000 });
  await saved.getByRole('button', { name: 'Score the current data' }).click();
  await page
    .getByText(/Scored 7,043 customers with “Telco LR” \(the data it was trained on\)/)
    .waitFor({
      timeout: 60_000,
    });
}, 300_000);

it('Online Retail: without a churn column the label is derived from orders around a cut-off the user can move', async () => {
  session = await open('./?sample=online-retail');
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  const label = page.getByTestId('churn-label');
  // The last order is on 2011-12-09, so the default cut-off is 90 days before 2011-12-10.
  await expect
    .poll(() => label.textContent(), { timeout: 60_000 })
    .toMatch(/derived from orders.*before 2011-09-11.*90 days from 2011-09-11 to 2011-12-09/);
  // A cut-off too late for the window is explained, not trained on.
  await page.getByLabel('Cut-off date').fill('2011-11-01');
  await expect
    .poll(() => page.getByRole('alert').allTextContents())
    .toContainEqual(expect.stringMatching(/too late.*on or before 2011-09-11/));
  await page.getByLabel('Cut-off date').fill('2011-08-01');
  await expect.poll(() => label.textContent()).toMatch(/before 2011-08-01/);
  await page.getByRole('button', { name: 'Train model' }).click();
  await page.getByTestId('churn-metrics').waitFor({ timeout: 120_000 });
  const auc = Number(
    (await page.getByTestId('churn-metrics').locator('.value').first().textContent())!,
  );
  expect(auc).toBeGreaterThan(0.7);
  await page.getByTestId('churn-scores').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/retail-churn.png' });
}, 300_000);
