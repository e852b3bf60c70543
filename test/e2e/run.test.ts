import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Download } from 'playwright-core';
import { afterAll, afterEach, expect, inject, it } from 'vitest';
import { datasets } from '../support/data.ts';
import { closeBrowser, finish, open, type Session } from './browser.ts';

/**
 * The notebook made in the browser runs unchanged on native DuckDB: export the
 * default notebook (with its mapping) and a SQL result's CSV from the built app on
 * the Online Retail sample, run `retain run` on that file with the same data from
 * ../shared/data (the sample is that Parquet file, unchanged), and compare.
 */

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const read = async (d: Download) =>
  Buffer.concat(await (await d.createReadStream()).toArray()).toString('utf8');

it('a notebook exported from the app gives the same CSV and figures under retain run', async () => {
  session = await open('./?sample=online-retail', { acceptDownloads: true });
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  const customers = page.getByTestId('kpi-customers');
  await customers.waitFor({ timeout: 60_000 });
  const appCustomers = Number((await customers.textContent())?.replace(/\D/g, ''));
  await page.getByRole('link', { name: 'Notebook' }).click();

  // The default notebook's SQL cell "monthly": customers, orders and revenue per month.
  await page.getByRole('button', { name: 'Run all' }).click();
  const monthly = page
    .getByTestId('cell')
    .filter({ has: page.locator('.cm-content', { hasText: "date_trunc('month', order_ts)" }) });
  await expect
    .poll(() => monthly.getByTestId('result-summary').textContent(), { timeout: 60_000 })
    .toMatch(/^13 rows/);

  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await monthly.getByRole('button', { name: 'CSV' }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
  await page.getByLabel('include mapping').check();
  await page.getByRole('button', { name: 'Export file' }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(3);
  const byName = Object.fromEntries(downloads.map((d) => [d.suggestedFilename(), d]));
  expect(Object.keys(byName).sort()).toEqual([
    'Retention overview.retain.json',
    'monthly.csv',
    'monthly.provenance.txt',
  ]);
  const appCsv = await read(byName['monthly.csv']);

  const dir = await mkdtemp(join(tmpdir(), 'retain-e2e-run-'));
  const notebook = join(dir, 'Retention overview.retain.json');
  await writeFile(notebook, await read(byName['Retention overview.retain.json']));
  const out = join(dir, 'out');
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [
      resolve('bin/retain.mjs'),
      'run',
      notebook,
      '--data',
      join(inject('sharedData'), datasets.retailParquet),
      '--out',
      out,
    ],
    { env: { ...process.env, TZ: 'UTC' }, timeout: 240_000, maxBuffer: 10_000_000 },
  );
  // The notebook carries its mapping, so nothing is proposed.
  expect(stderr).not.toMatch(/proposed/);
  const summary = JSON.parse(stdout);
  expect(summary.failed).toBe(0);
  const cliCsv = await readFile(join(out, 'monthly.csv'), 'utf8');
  // Same header, rows, dates and counts, byte for byte; sums of doubles agree to 1e-12
  // relative, not to the last bit: native DuckDB adds them up on several threads, the
  // browser's on one, so in another order (floating-point addition is not associative).
  const cells = (csv: string) =>
    csv
      .split('\r\n')
      .filter((line) => line !== '')
      .map((line) => line.split(','));
  const [app, cli] = [cells(appCsv), cells(cliCsv)];
  expect(app.length).toBe(1 + 13);
  expect(cli.length).toBe(app.length);
  expect(app[0]).toEqual(['\uFEFFmonth', 'customers', 'orders', 'revenue']);
  expect(cli.map((row) => row.slice(0, 3))).toEqual(app.map((row) => row.slice(0, 3)));
  for (const [i, row] of app.slice(1).entries()) {
    const [a, b] = [Number(row[3]), Number(cli[i + 1][3])];
    if (row[3] === '') expect(cli[i + 1][3]).toBe('');
    else expect(Math.abs(a - b) / Math.abs(a)).toBeLessThan(1e-12);
  }

  // The KPI cell's figures: the clean subset's 4,338 customers (SOURCE.md), as the app showed.
  const kpis = summary.analyses.find((a: { analysis: string }) => a.analysis === 'kpis');
  const figures = JSON.parse(await readFile(join(out, kpis.json), 'utf8'));
  expect(appCustomers).toBe(4_338);
  expect(figures.customers).toBe(appCustomers);
  const html = await readFile(join(out, 'report.html'), 'utf8');
  expect(html).toContain('<title>Retention overview</title>');
  expect(html).not.toMatch(/<script/i);
}, 300_000);
