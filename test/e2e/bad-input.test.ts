import { join } from 'node:path';
import { afterAll, afterEach, expect, inject, it } from 'vitest';
import { datasets } from '../support/data.ts';
import { closeBrowser, finish, open, type Session } from './browser.ts';

const corpus = join(import.meta.dirname, '../fixtures/bad-input');
const telco = join(inject('sharedData'), datasets.telco);
const good = 'wa_fn_usec_telco_customer_churn';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const rowCountOf = (s: Session, table: string) =>
  s.page.getByTestId('table-item').filter({ hasText: table }).getByTestId('row-count');

/** Files of the corpus picked together, each with what its message must say (EXPECTED.md). */
const batch: [string, RegExp][] = [
  ['header-only.csv', /header \(customer_id, order_date, amount\) but no rows of data/],
  ['nul-in-text.csv', /zero byte \(NUL\) at line 3 \(byte 28\)/],
  ['login-page.csv', /web page \(HTML\).*signed-in browser/],
  ['unclosed-quote.csv', /Line 3 opens a quoted field.*Close the quote on line 3/],
  ['mixed-delimiters.csv', /row 3 has 1, row 5 has 1.*semicolon.*mixes delimiters/],
  ['json-trailing-comma.json', /line 3, column 24: a comma before a closing bracket/],
  ['json-object.json', /single object, not a list of records/],
  ['truncated.parquet', /Parquet file is incomplete.*download or export it again/],
  ['header-only.xlsx', /Sheet “Orders” has a header .* but no rows/],
  ['truncated.xlsx', /workbook is damaged or incomplete/],
  ['broken.csv.gz', /gzip-compressed file cannot be decompressed/],
  ['binary-noise.csv', /binary data, not text/],
];

it('explains each bad file of the corpus specifically; the loaded table and the notebook stay, also after a reload', async () => {
  // The good file is picked like any other (a ?sample= link would load again on reload).
  session = await open();
  const { page } = session;
  await page.locator('input[type=file]').first().setInputFiles(telco);
  await expect
    .poll(() => rowCountOf(session!, good).textContent(), { timeout: 60_000 })
    .toBe('7,043');
  await expect
    .poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 })
    .toBe('Saved in this browser');

  // A notebook with one SQL cell that has run.
  await page.getByRole('link', { name: /^Notebook/ }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  const cell = page.getByTestId('cell').first();
  await cell.waitFor();
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(`SELECT count(*) AS customers FROM ${good}`);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect
    .poll(() => cell.getByRole('gridcell').allTextContents(), { timeout: 30_000 })
    .toEqual(['7,043']);

  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page
    .locator('input[type=file]')
    .first()
    .setInputFiles([
      ...batch.map(([file]) => join(corpus, file)),
      join(corpus, 'merged-cells.xlsx'),
    ]);
  const problems = page.getByTestId('problem');
  await expect.poll(() => problems.count(), { timeout: 60_000 }).toBe(batch.length);
  for (const [file, message] of batch) {
    const shown = problems.filter({ hasText: `Could not load ${file}.` });
    await expect.poll(() => shown.count()).toBe(1);
    expect((await shown.textContent())?.replace(/\s+/g, ' ')).toMatch(message);
  }
  // The workbook with merged cells loads, and says what it did with them.
  await expect
    .poll(() => rowCountOf(session!, 'merged_cells').textContent(), { timeout: 30_000 })
    .toBe('3');
  await page.getByTestId('table-item').filter({ hasText: 'merged_cells' }).click();
  // ...as a notice when it loads, and in the table's details.
  await page
    .getByTestId('notice')
    .filter({ hasText: 'merged cells A3:A4 were unmerged' })
    .waitFor();
  await page
    .getByRole('listitem')
    .filter({ hasText: 'merged cells A3:A4 were unmerged' })
    .waitFor();

  expect(await rowCountOf(session, good).textContent()).toBe('7,043');
  await page.getByRole('link', { name: /^Notebook/ }).click();
  await expect.poll(() => page.getByTestId('cell').count()).toBe(1);
  await expect
    .poll(() => page.getByTestId('cell').first().getByRole('gridcell').allTextContents())
    .toEqual(['7,043']);

  // A reload keeps the table and the notebook (problems are not kept: they were messages).
  await page.waitForTimeout(500);
  await page.reload();
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await expect
    .poll(() => rowCountOf(session!, good).textContent(), { timeout: 60_000 })
    .toBe('7,043');
  await page.getByRole('link', { name: /^Notebook/ }).click();
  await expect.poll(() => page.getByTestId('cell').count(), { timeout: 30_000 }).toBe(1);
  expect(await page.getByTestId('cell').first().locator('.cm-content').textContent()).toContain(
    `SELECT count(*) AS customers FROM ${good}`,
  );
});
