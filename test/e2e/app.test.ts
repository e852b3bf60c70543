import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { datasets } from '../support/data.ts';
import { closeBrowser, finish, open, waitForOffline, type Session } from './browser.ts';

const telco = join(inject('sharedData'), datasets.telco);
const retailCsv = join(inject('sharedData'), datasets.retailCsv);

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const rowCountOf = (s: Session, table: string) =>
  s.page.getByTestId('table-item').filter({ hasText: table }).getByTestId('row-count');

describe('the built app', () => {
  it('loads a CSV through the file input and shows its row count; a reload keeps it', async () => {
    session = await open();
    const { page } = session;
    await page.getByRole('heading', { name: /who stays, who leaves/ }).waitFor();
    await page.locator('input[type=file]').first().setInputFiles(telco);
    await expect
      .poll(() => rowCountOf(session!, 'wa_fn_usec_telco_customer_churn').textContent(), {
        timeout: 30_000,
      })
      .toBe('7,043');
    await expect
      .poll(() => page.getByTestId('engine-status').textContent())
      .toBe('Saved in this browser');

    await page.reload();
    await expect
      .poll(() => rowCountOf(session!, 'wa_fn_usec_telco_customer_churn').textContent(), {
        timeout: 30_000,
      })
      .toBe('7,043');
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(100);
    // The recorder sees what workers fetch too (the engine's wasm), so the origin check is real.
    expect(session.requests.some((url) => /duckdb-eh-.*\.wasm$/.test(url))).toBe(true);
  });

  it('works offline after one visit: the app, the engine and the saved data', async () => {
    session = await open();
    const { page, context } = session;
    await page.locator('input[type=file]').first().setInputFiles(telco);
    await rowCountOf(session, 'wa_fn_usec_telco_customer_churn').waitFor({ timeout: 30_000 });
    await waitForOffline(page);

    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await expect
      .poll(() => rowCountOf(session!, 'wa_fn_usec_telco_customer_churn').textContent(), {
        timeout: 30_000,
      })
      .toBe('7,043');
    // New work offline too: a bundled sample, read through the Parquet decoder in its worker.
    await page.getByRole('button', { name: 'Clear all data' }).click();
    await page.getByRole('button', { name: 'Wipe everything' }).click();
    await page.getByRole('button', { name: 'Online Retail' }).click();
    await expect
      .poll(() => rowCountOf(session!, 'online_retail').textContent(), { timeout: 60_000 })
      .toBe('541,909');
    await context.setOffline(false);
  });

  it('loads by drag and drop anywhere on the page', async () => {
    session = await open();
    const { page } = session;
    await page.getByRole('heading', { name: /who stays, who leaves/ }).waitFor();
    const transfer = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(
        new File(['customer,amount\nA,10\nB,20\nA,5\n'], 'dropped orders.csv', {
          type: 'text/csv',
        }),
      );
      return data;
    });
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
    await page.getByText('Drop to load').waitFor();
    await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
    await expect
      .poll(() => rowCountOf(session!, 'dropped_orders').textContent(), { timeout: 30_000 })
      .toBe('3');
  });

  it('loads from a ?data= link and from the URL dialog', async () => {
    session = await open('./?data=samples/telco_churn.csv');
    const { page } = session;
    await expect
      .poll(() => rowCountOf(session!, 'telco_churn').textContent(), { timeout: 30_000 })
      .toBe('7,043');
    expect(page.url()).not.toContain('data=');

    await page.getByRole('button', { name: 'From URL…' }).click();
    await page.getByLabel(/Address of a CSV/).fill('not a url');
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await page.getByText('Enter a full web address').waitFor();
    await page
      .getByLabel(/Address of a CSV/)
      .fill(new URL('samples/cdnow_master.txt', session.base).href);
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await expect
      .poll(() => rowCountOf(session!, 'cdnow_master').textContent(), { timeout: 30_000 })
      .toBe('69,659');
  });

  it('explains bad input, names the file, and keeps earlier tables', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-e2e-'));
    await writeFile(join(dir, 'empty.csv'), '');
    await writeFile(join(dir, 'ragged.csv'), 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    await writeFile(
      join(dir, 'photo.csv'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
    );
    session = await open('./?sample=telco');
    const { page } = session;
    await rowCountOf(session, 'telco_churn').waitFor({ timeout: 30_000 });
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles([join(dir, 'empty.csv'), join(dir, 'ragged.csv'), join(dir, 'photo.csv')]);
    const problems = page.getByTestId('problem');
    await expect.poll(() => problems.count(), { timeout: 30_000 }).toBe(3);
    await expect
      .poll(() => problems.nth(0).textContent())
      .toMatch(/Could not load empty\.csv.*empty \(0 bytes\)/);
    await expect
      .poll(() => problems.nth(1).textContent())
      .toMatch(/Could not load ragged\.csv.*row 3 has 2/);
    await expect
      .poll(() => problems.nth(2).textContent())
      .toMatch(/Could not load photo\.csv.*image/);
    expect(await rowCountOf(session, 'telco_churn').textContent()).toBe('7,043');

    // The reading settings can be chosen for a text file that failed...
    await problems.nth(1).getByRole('button', { name: 'Choose how to read it…' }).click();
    await problems.nth(1).getByLabel('Delimiter').selectOption(';');
    await problems.nth(1).getByRole('button', { name: 'Load with these settings' }).click();
    await expect
      .poll(() => rowCountOf(session!, 'ragged').textContent(), { timeout: 30_000 })
      .toBe('3');
    // ...and one click loads it anyway, padding the short row.
    await expect.poll(() => problems.count()).toBe(2);
    await page.locator('input[type=file]').first().setInputFiles(join(dir, 'ragged.csv'));
    await expect.poll(() => problems.count(), { timeout: 30_000 }).toBe(3);
    await problems.nth(2).getByRole('button', { name: 'Pad short rows with empty values' }).click();
    await expect
      .poll(() => rowCountOf(session!, 'ragged_2').textContent(), { timeout: 30_000 })
      .toBe('3');
  });

  it('reads a text file again with settings the user chooses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-e2e-'));
    await writeFile(join(dir, 'codes.csv'), 'A1;B2\nC3;D4\n');
    session = await open();
    const { page } = session;
    await page.locator('input[type=file]').first().setInputFiles(join(dir, 'codes.csv'));
    await expect
      .poll(() => rowCountOf(session!, 'codes').textContent(), { timeout: 30_000 })
      .toBe('1');
    await page.getByRole('button', { name: 'Change how this file is read' }).click();
    await page.getByLabel('First row is the header').uncheck();
    await page.getByRole('button', { name: 'Read again' }).click();
    await expect
      .poll(() => rowCountOf(session!, 'codes').textContent(), { timeout: 30_000 })
      .toBe('2');
    await page.getByText('no header row').waitFor();
    expect(await page.getByTestId('table-item').count()).toBe(1);
  });

  it('shows progress for a long load and cancels it', async () => {
    session = await open();
    const { page } = session;
    await page.getByRole('heading', { name: /who stays, who leaves/ }).waitFor();
    await page.locator('input[type=file]').first().setInputFiles(retailCsv);
    const task = page.getByTestId('task');
    await task.waitFor({ timeout: 10_000 });
    await expect.poll(() => task.getByRole('progressbar').count()).toBe(1);
    await task.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/Loading online_retail\.csv was cancelled/).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('table-item').count()).toBe(0);
  });

  it('clears all data and proves the browser storage is empty', async () => {
    session = await open('./?sample=telco');
    const { page } = session;
    await rowCountOf(session, 'telco_churn').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Clear all data' }).click();
    await page.getByRole('button', { name: 'Wipe everything' }).click();
    await page
      .getByText(/All data was wiped from this browser \(1 table\)/)
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('table-item').count()).toBe(0);
    // The engine reopened a fresh, empty database file; no table survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: /who stays, who leaves/ }).waitFor({ timeout: 30_000 });
    const tables = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const names: string[] = [];
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys())
        names.push(name);
      return names;
    });
    expect(tables.every((n) => n.startsWith('retain.duckdb'))).toBe(true);
  });
});
