import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

/** Open the Telco sample and a new notebook with two cells (its starter SQL and a text cell). */
async function notebookWithTwoCells() {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  const cells = page.getByTestId('cell');
  await cells.first().waitFor();
  await page.getByRole('button', { name: '+ Text' }).last().click();
  await expect.poll(() => cells.count()).toBe(2);
  return { page, cells };
}

it('deletes a notebook after a confirmation, and Undo brings it back with its cells, also after a reload', async () => {
  const { page, cells } = await notebookWithTwoCells();
  const select = page.getByLabel('Notebook', { exact: true });
  await expect
    .poll(() => select.locator('option').allTextContents())
    .toEqual(['Untitled notebook']);

  // Keep it: nothing happens.
  await page.getByRole('button', { name: 'Delete notebook' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Untitled notebook”?' });
  await dialog.getByText('Its 2 cells go with it.').waitFor();
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  expect(await cells.count()).toBe(2);

  await page.getByRole('button', { name: 'Delete notebook' }).click();
  await dialog.getByRole('button', { name: 'Delete notebook' }).click();
  const toast = page.getByTestId('toast');
  await expect.poll(() => toast.textContent()).toContain('Deleted “Untitled notebook”.');
  await expect.poll(() => cells.count()).toBe(0);
  await expect.poll(() => select.locator('option').count()).toBe(0);

  await toast.getByRole('button', { name: 'Undo: Deleted “Untitled notebook”.' }).click();
  await expect.poll(() => cells.count()).toBe(2);
  await expect
    .poll(() => select.locator('option').allTextContents())
    .toEqual(['Untitled notebook']);
  expect(await toast.count()).toBe(0);

  // Stored again, not only shown: it survives a reload.
  await page.reload();
  await page.getByRole('link', { name: 'Notebook' }).click();
  await expect.poll(() => cells.count(), { timeout: 30_000 }).toBe(2);
  expect(await cells.first().locator('.cm-content').textContent()).toContain('SELECT');
});

it('deletes a cell with an Undo in a toast that puts it back in its place', async () => {
  const { page, cells } = await notebookWithTwoCells();
  const firstText = await cells.first().locator('.cm-content').textContent();
  await cells.first().getByRole('button', { name: 'Delete cell' }).click();
  await expect.poll(() => cells.count()).toBe(1);
  const toast = page.getByTestId('toast');
  await expect.poll(() => toast.textContent()).toContain('Deleted a SQL cell.');
  // Reachable from the keyboard: focus the button and press Enter.
  await toast.getByRole('button', { name: 'Undo: Deleted a SQL cell.' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => cells.count()).toBe(2);
  // Back in first place, with its SQL.
  expect(await cells.first().locator('.cm-content').textContent()).toBe(firstText);
});

it('Clear all data asks first, and "Keep my data" keeps every table, also after a reload', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  const tables = page.getByTestId('table-item');
  await tables.first().waitFor({ timeout: 60_000 });
  const before = await tables.count();
  await page.getByRole('button', { name: 'Clear all data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Clear all data?' });
  await dialog.getByText('This cannot be undone', { exact: false }).waitFor();
  await dialog.getByRole('button', { name: 'Keep my data' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(await tables.count()).toBe(before);
  await page.reload();
  await tables.first().waitFor({ timeout: 60_000 });
  expect(await tables.count()).toBe(before);
});

it('a file that is not a notebook is refused with its name and what to choose instead', async () => {
  const { page } = await notebookWithTwoCells();
  await page.getByLabel('Notebook file to import').setInputFiles({
    name: 'orders.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('customer_id,order_ts,amount\n1,2024-01-01,10\n'),
  });
  const message = page.locator('.message[role=status]');
  await expect.poll(() => message.textContent()).toContain('“orders.csv” could not be imported:');
  expect(await message.textContent()).toContain(
    'Choose a notebook file exported from Retain (.retain.json).',
  );
  // The open notebook is untouched.
  expect(await page.getByTestId('cell').count()).toBe(2);
});
