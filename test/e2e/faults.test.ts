import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

const rowCountOf = (s: Session, table: string) =>
  s.page.getByTestId('table-item').filter({ hasText: table }).getByTestId('row-count');

/** Crash a worker the way a browser crash would (see src/state/faults.ts). */
const crash = (s: Session, name: 'data-engine' | 'training') =>
  s.page.evaluate(
    (n) =>
      (window as unknown as { __retainFaults: Record<string, () => unknown> }).__retainFaults[n](),
    name,
  );

async function sqlCell(s: Session, sql: string) {
  const cell = s.page.getByTestId('cell').first();
  await cell.locator('.cm-content').click();
  await s.page.keyboard.press('ControlOrMeta+a');
  await s.page.keyboard.type(sql);
  await s.page.keyboard.press('ControlOrMeta+Enter');
  return cell;
}

it('the data engine killed mid-query: the app notices, restarts it, reopens the saved tables and says so', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  // Long enough to be running when the worker dies.
  const cell = await sqlCell(session, 'SELECT sum(hash(range)) FROM range(20000000000)');
  await page.waitForTimeout(1500);
  await crash(session, 'data-engine');
  await expect
    .poll(() => cell.getByRole('alert').textContent(), { timeout: 30_000 })
    .toMatch(/The data engine stopped .*(did not finish|run the cell again)/);
  await page
    .getByText(/The data engine was restarted and 1 table reopened from this browser’s storage/)
    .waitFor({ timeout: 60_000 });

  // The restored table answers queries on the new engine.
  await sqlCell(session, 'SELECT count(*)::INTEGER AS n FROM telco_churn');
  await expect
    .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 60_000 })
    .toMatch(/^1 row/);
  await cell.getByRole('gridcell', { name: '7,043', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await expect.poll(() => rowCountOf(session!, 'telco_churn').textContent()).toBe('7,043');
});

it('the training worker killed mid-training: the app says so, and the next training works', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('heading', { name: 'Who is at risk' }).waitFor({ timeout: 60_000 });
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('mlp');
  await page.getByLabel('5-fold cross-validation').check();
  await page.getByRole('button', { name: 'Train model' }).click();
  await page.getByRole('img', { name: /Training progress/ }).waitFor({ timeout: 60_000 });
  await crash(session, 'training');
  await page.getByText(/The training worker stopped \(.*\)\. Run the model again\./).waitFor();
  expect(await page.getByRole('button', { name: 'Train model' }).isEnabled()).toBe(true);

  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('logistic');
  await page.getByLabel('5-fold cross-validation').uncheck();
  await page.getByRole('button', { name: 'Train model' }).click();
  await page.getByTestId('churn-confusion').waitFor({ timeout: 120_000 });
});

it('20 reloads in a row lose nothing: the tables and the notebook come back every time', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  const sql = "SELECT 'kept after reloads' AS note";
  const cell = await sqlCell(session, sql);
  await expect
    .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 60_000 })
    .toMatch(/^1 row/);
  await page.waitForTimeout(600); // the notebook autosaves 300 ms after an edit
  for (let i = 0; i < 20; i++) {
    await page.reload();
    await page.getByRole('link', { name: 'Data', exact: true }).click({ timeout: 30_000 });
    await expect
      .poll(() => rowCountOf(session!, 'telco_churn').textContent(), { timeout: 30_000 })
      .toBe('7,043');
  }
  await page.getByRole('link', { name: 'Notebook' }).click();
  await expect
    .poll(() => page.getByTestId('cell').first().locator('.cm-content').textContent(), {
      timeout: 30_000,
    })
    .toBe(sql);
});
