import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { closeBrowser, open, waitForOffline } from './browser.ts';

afterAll(closeBrowser);

it('offers an update when a new build is deployed, and applies it', async () => {
  const session = await open('./?sample=telco');
  const { page } = session;
  const swPath = join(inject('e2eDist'), 'sw.js');
  const original = await readFile(swPath, 'utf8');
  try {
    await page.getByTestId('table-item').first().waitFor({ timeout: 30_000 });
    await waitForOffline(page);
    // A returning visitor: the page is now served by the service worker.
    await page.reload();
    await page.getByTestId('table-item').first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // "Deploy" a new build: a service worker that differs by one byte.
    await writeFile(swPath, `${original}\n// next build\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await page.getByText('A new version of Retain is available').waitFor({ timeout: 60_000 });

    await Promise.all([
      page.waitForEvent('framenavigated', { timeout: 30_000 }),
      page.getByRole('button', { name: 'Update now' }).click(),
    ]);
    // The new build runs, and the data survived the update.
    await page.getByTestId('table-item').first().waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting),
    ).toBeFalsy();
    expect(session.foreign()).toEqual([]);
  } finally {
    await writeFile(swPath, original);
    await session.context.close();
  }
});
