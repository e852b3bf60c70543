import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

describe('start-up', () => {
  it('a first visit that loads nothing, a reload, then a load: the table is saved', async () => {
    // DuckDB-WASM 1.32 reopened the never-written database read-only, and the load failed
    // with "Failed to commit: File is not opened in write mode" (src/lib/engine/wasm.ts).
    const dir = await mkdtemp(join(tmpdir(), 'retain-startup-'));
    const csv = join(dir, 'first.csv');
    // Three data rows under a header: the table must show 3 rows.
    await writeFile(csv, 'customer,amount\nA,1.5\nB,2\nC,3.25\n');
    session = await open();
    const { page } = session;
    const status = page.getByTestId('engine-status');
    await expect
      .poll(() => status.textContent(), { timeout: 60_000 })
      .toBe('Saved in this browser');
    await page.reload();
    await expect
      .poll(() => status.textContent(), { timeout: 60_000 })
      .toBe('Saved in this browser');
    await page.locator('input[type=file]').first().setInputFiles(csv);
    const count = page
      .getByTestId('table-item')
      .filter({ hasText: 'first' })
      .getByTestId('row-count');
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toBe('3');
    expect(await page.getByText(/not opened in write mode/).count()).toBe(0);
  });
});
