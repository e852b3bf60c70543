import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const fixtures = join(import.meta.dirname, '../fixtures');

// The figures are worked out by hand in test/shared/nps-suite.ts and journeys-suite.ts.
it('feedback and events: the NPS cell shows NPS, its runs of negative answers and events; the journeys cell draws the Sankey', async () => {
  session = await open('./', { acceptDownloads: true });
  const { page } = session;
  await page
    .locator('input[type=file]')
    .first()
    .setInputFiles([
      join(fixtures, 'feedback/customers.csv'),
      join(fixtures, 'feedback/nps_responses.csv'),
      join(fixtures, 'events/app_events.csv'),
    ]);
  // Three files at once: the app proposes each table's mapping in load order, each
  // confirmation bringing the next one, and only then the overview.
  const confirm = page.getByRole('button', { name: 'Confirm mapping' });
  for (const table of ['customers_2', 'nps_responses', 'app_events']) {
    await page.getByText(`What does ${table} hold?`).waitFor({ timeout: 60_000 });
    await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
    await confirm.click();
    await page
      .getByText(`What does ${table} hold?`)
      .waitFor({ state: 'detached', timeout: 60_000 });
  }
  await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  for (const table of ['customers_2', 'nps_responses', 'app_events']) {
    await page.getByTestId('table-item').filter({ hasText: table }).click();
    await page.getByTestId('mapping-status').getByText('Used in the retention model').waitFor();
  }
  await page.getByRole('link', { name: 'Notebook' }).click();
  const fresh = page.getByRole('button', { name: 'New notebook' });
  if (await fresh.last().isVisible()) await fresh.last().click();
  if (!(await page.getByRole('combobox', { name: 'Add an analysis' }).count()))
    await page.getByRole('button', { name: '+ Text' }).first().click();

  const add = page.getByRole('combobox', { name: 'Add an analysis' });
  await add.last().waitFor({ timeout: 30_000 });
  await add.last().selectOption('nps');

  // 5 promoters and 14 detractors of 22 answers: (5 − 14) ÷ 22 = −40.9.
  await expect
    .poll(() => page.getByTestId('nps-overall').textContent(), { timeout: 60_000 })
    .toMatch(/NPS\s*[−-]40\.9\s+over 22\s+answers: 5 promoters.*3\s+passives.*14 detractors/s);
  const runs = page.getByTestId('nps-runs').locator('tbody tr');
  await expect
    .poll(async () => (await runs.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()))
    .toEqual(['0 2 0 0.0 %', '1 3 1 33.3 %', '2 3 2 66.7 %', '3+ 1 1 100.0 %']);
  await page.getByRole('img', { name: /NPS over time/ }).waitFor();
  await page.getByRole('img', { name: /Churn rate by negative answers in a row/ }).waitFor();
  const topEvent = page.getByTestId('nps-events').locator('tbody tr').first();
  expect((await topEvent.innerText()).replace(/\s+/g, ' ').trim()).toBe(
    'support_ticket 5 100.0 % 0.0 % 2.00',
  );
  // Segments by topic by default: delivery and product have 6 answers each.
  expect(await page.getByTestId('nps-segments').locator('tbody th').allTextContents()).toEqual([
    'delivery',
    'product',
    'price',
    'support',
  ]);
  // Quarterly NPS: Q1 (2 − 9) ÷ 13 = −53.8.
  await page.getByRole('combobox', { name: 'Period' }).selectOption('quarter');
  const npsFigure = page
    .getByRole('figure')
    .filter({ has: page.getByRole('img', { name: /NPS over time/ }) });
  await expect
    .poll(() => npsFigure.locator('details tbody tr').first().textContent(), { timeout: 30_000 })
    .toMatch(/2024-Q1\s*13\s*2\s*2\s*9\s*[−-]53\.8/);

  // The journeys cell, added after the NPS cell.
  await add.last().selectOption('journeys');
  const sankey = page.getByRole('img', { name: /Customer journeys/ });
  await sankey.waitFor({ timeout: 60_000 });
  // 10 customers: 5 retained, 5 churned; with the default 2 % nothing is grouped.
  await expect.poll(() => sankey.locator('text', { hasText: 'Churned (5)' }).count()).toBe(1);
  await expect.poll(() => sankey.locator('text', { hasText: 'Retained (5)' }).count()).toBe(1);
  const paths = page.getByTestId('journey-paths').locator('tbody tr');
  expect((await paths.first().innerText()).replace(/\s+/g, ' ').trim()).toBe(
    'signup → login → purchase → login 3 0 0.0 %',
  );
  // Grouping events reached by fewer than 15 % of customers turns referral into Other.
  await page.getByLabel(/Group events reached by fewer than/).fill('15');
  await page.getByLabel(/Group events reached by fewer than/).press('Tab');
  await expect
    .poll(() => page.getByTestId('journey-paths').textContent(), { timeout: 30_000 })
    .toMatch(/signup → login → purchase → Other/);
  await expect.poll(() => sankey.locator('path').count()).toBe(15);

  // "Open the SQL as a cell" puts the paths statement into an SQL cell that runs.
  const cells = page.getByTestId('cell');
  const before = await cells.count();
  await page.getByRole('button', { name: 'Open the SQL as a cell' }).last().click();
  await expect.poll(() => cells.count()).toBe(before + 1);
  await expect
    .poll(() => page.getByTestId('result-summary').allTextContents(), { timeout: 60_000 })
    .toContainEqual(expect.stringMatching(/6 rows/));
});
