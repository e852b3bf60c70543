import { afterAll, afterEach, expect, inject, it } from 'vitest';
import type { Download } from 'playwright-core';
import { closeBrowser, finish, launch, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

it('write SQL, run it with the keyboard, chart it, reload, and open the share link elsewhere', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  const cell = page.getByTestId('cell').first();
  await cell.waitFor();

  // Replace the starter query, name the result, run with Shift+Enter.
  const editor = cell.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(
    'SELECT Contract AS contract, count(*) AS customers FROM telco_churn GROUP BY ALL ORDER BY customers DESC',
  );
  await cell.getByLabel('Result name').fill('contracts');
  await cell.getByLabel('Result name').press('Tab');
  await editor.click();
  await page.keyboard.press('Shift+Enter');
  await expect
    .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 30_000 })
    .toMatch(/^3 rows/);
  // Figures from the Telco SOURCE.md: Month-to-month 3,875 / One year 1,473 / Two year 1,695.
  await expect
    .poll(() => cell.getByRole('gridcell').allTextContents())
    .toEqual(['Month-to-month', '3,875', 'Two year', '1,695', 'One year', '1,473']);

  // Shift+Enter on the last cell added a new one below; make it a chart of the result.
  await expect.poll(() => page.getByTestId('cell').count()).toBe(2);
  await page.getByTestId('cell').nth(1).getByRole('button', { name: 'Delete cell' }).click();
  await page.getByRole('button', { name: '+ Chart' }).first().click();
  const chart = page.getByTestId('cell').nth(1);
  await chart.getByRole('button', { name: 'Suggest a chart' }).click();
  await expect
    .poll(() => chart.locator('svg rect').count(), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);

  // A parameter, bound as a value: changing it re-runs the cell that uses it.
  await page.getByRole('button', { name: '+ Parameter' }).click();
  await page.getByLabel('Parameter name').fill('min_customers');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(
    'SELECT Contract AS contract, count(*) AS customers FROM telco_churn GROUP BY ALL HAVING count(*) >= coalesce($min_customers, 0) ORDER BY customers DESC',
  );
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect
    .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 30_000 })
    .toMatch(/^3 rows/);
  await page.getByLabel('$min_customers').fill('1600');
  await page.getByLabel('$min_customers').press('Tab');
  await expect
    .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 30_000 })
    .toMatch(/^2 rows/);

  // Errors point at their place in the query.
  await page.getByRole('button', { name: 'Undo', exact: true }).isEnabled();

  // Reload: the notebook comes back from IndexedDB.
  await page.waitForTimeout(500);
  await page.reload();
  await page.getByRole('link', { name: 'Notebook' }).click();
  await expect.poll(() => page.getByTestId('cell').count(), { timeout: 30_000 }).toBe(2);
  expect(await page.getByTestId('cell').first().locator('.cm-content').textContent()).toContain(
    'HAVING count(*) >=',
  );

  // Share: a fresh browser profile opens the same cells from the link.
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toMatch(/#nb=/);
  const other = await (await launch()).newContext();
  try {
    const page2 = await other.newPage();
    await page2.goto(link);
    await expect.poll(() => page2.getByTestId('cell').count(), { timeout: 30_000 }).toBe(2);
    expect(await page2.getByTestId('cell').first().locator('.cm-content').textContent()).toContain(
      'HAVING count(*) >=',
    );
    await page2.getByText('This notebook runs on your data').waitFor();
  } finally {
    await other.close();
  }
});

it('shows where a query fails, and a damaged link is explained, not crashed on', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  const cell = page.getByTestId('cell').first();
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('SELECT customerID\nFROM telco_churn\nWHERE nope > 1');
  await page.keyboard.press('ControlOrMeta+Enter');
  const error = cell.getByRole('alert');
  await expect
    .poll(() => error.textContent(), { timeout: 30_000 })
    .toMatch(/nope.*line 3, column 7/s);

  await page.goto(new URL('./#nb=AAAA-not-a-notebook', session.base).href);
  await page.getByText(/This link is damaged/).waitFor({ timeout: 30_000 });
});

it('a million-row result scrolls to its end; exports carry provenance and defuse formulas', async () => {
  const context = await (
    await launch()
  ).newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  try {
    const page = await context.newPage();
    await page.goto(new URL('./?sample=telco', inject('baseURL')).href);
    await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Notebook' }).click();
    await page.getByRole('button', { name: 'New notebook' }).first().click();
    const cell = page.getByTestId('cell').first();
    await cell.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(
      "SELECT range + 1 AS n, CASE WHEN range = 0 THEN '=1+1' ELSE 'ok' END AS note FROM range(1000000)",
    );
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect
      .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 60_000 })
      .toMatch(/^1,000,000 rows/);
    const viewport = cell.getByRole('rowgroup', { name: 'Result rows' });
    await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect
      .poll(() => cell.getByRole('gridcell', { name: '1,000,000', exact: true }).count(), {
        timeout: 30_000,
      })
      .toBe(1);

    // The CSV holds only data (it feeds CRM and email tools); its provenance comes beside it.
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await cell.getByRole('button', { name: 'CSV' }).click();
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
    const read = async (d: Download) =>
      Buffer.concat(await (await d.createReadStream()).toArray()).toString('utf8');
    const byName = Object.fromEntries(downloads.map((d) => [d.suggestedFilename(), d]));
    expect(Object.keys(byName).sort()).toEqual(['cell-1.csv', 'cell-1.provenance.txt']);
    expect(await read(byName['cell-1.provenance.txt'])).toMatch(
      /telco_churn\.csv.*sha256 [0-9a-f]{64}/,
    );
    const text = await read(byName['cell-1.csv']);
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('n,note');
    // A text value that a spreadsheet would run as a formula is defused with a quote.
    expect(lines[1]).toBe("1,'=1+1");
    expect(lines.length).toBeGreaterThanOrEqual(1_000_001);

    downloads.length = 0;
    await cell.getByRole('button', { name: 'Parquet' }).click();
    await expect.poll(() => downloads.length, { timeout: 60_000 }).toBe(1);
    const parquet = Buffer.concat(await (await downloads[0].createReadStream()).toArray());
    expect(downloads[0].suggestedFilename()).toBe('cell-1.parquet');
    expect([parquet.subarray(0, 4).toString(), parquet.subarray(-4).toString()]).toEqual([
      'PAR1',
      'PAR1',
    ]);
    expect(parquet.toString('latin1')).toContain('retain.provenance');

    downloads.length = 0;
    await page.getByRole('button', { name: 'HTML report' }).click();
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(1);
    const html = await read(downloads[0]);
    expect(html).toContain('Untitled notebook');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/telco_churn\.csv/);
    expect(html).toMatch(/[0-9a-f]{64}/);
  } finally {
    const base = inject('baseURL');
    expect(
      requests.filter(
        (u) =>
          !u.startsWith(new URL(base).origin) && !u.startsWith('blob:') && !u.startsWith('data:'),
      ),
    ).toEqual([]);
    await context.close();
  }
});
