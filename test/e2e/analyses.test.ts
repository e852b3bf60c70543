import type { Download } from 'playwright-core';
import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

it('the default notebook shows cohorts and RFM on Online Retail; a segment exports as CSV; SQL opens as a cell', async () => {
  session = await open('./?sample=online-retail', { acceptDownloads: true });
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();

  // Cohorts: the December 2010 cohort holds 885 customers (the published figure).
  const heatmap = page.getByRole('img', { name: /Cohort retention/ });
  await heatmap.waitFor({ timeout: 60_000 });
  const cohortTable = page.getByRole('figure').filter({ has: heatmap }).locator('details table');
  // Month 1: 324 of 885 customers came back (36.6 %, checked by a separate query in the cohort suite).
  await expect
    .poll(() => cohortTable.locator('tbody tr').first().locator('td').allTextContents(), {
      timeout: 30_000,
    })
    .toEqual(expect.arrayContaining(['2010-12', '885', '100 %', '37 %']));

  // RFM: every segment with its customers; Champions exported as a CSV customer list.
  const rfmTable = page.getByTestId('rfm-segments');
  await rfmTable.waitFor({ timeout: 60_000 });
  const champions = Number(
    (await rfmTable
      .getByRole('row', { name: /^Champions/ })
      .locator('td')
      .first()
      .textContent())!.replace(/\D/g, ''),
  );
  expect(champions).toBeGreaterThan(0);
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await rfmTable.getByRole('button', { name: 'Export the Champions customers as CSV' }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(1);
  const csv = Buffer.concat(await (await downloads[0].createReadStream()).toArray()).toString(
    'utf8',
  );
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toMatch(/^customer_id,/);
  expect(lines.length - 1).toBe(champions);

  // "Show SQL": the cohort statement becomes an editable SQL cell that runs.
  const cells = page.getByTestId('cell');
  const before = await cells.count();
  await page.getByRole('button', { name: 'Open the SQL as a cell' }).nth(0).click();
  await expect.poll(() => cells.count()).toBe(before + 1);
  await expect
    .poll(() => page.getByTestId('result-summary').allTextContents(), { timeout: 60_000 })
    .toContainEqual(expect.stringMatching(/rows/));
});
