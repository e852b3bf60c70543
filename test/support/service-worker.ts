import type { Page } from 'playwright-core';

/**
 * Wait until the page's service worker is active and has precached the app, the
 * engine's wasm included: from then on the app loads offline and "from the cache".
 * Shared by the e2e tests, `npm run bench` and scripts/profile-startup.ts.
 */
export async function waitForOffline(page: Page, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  // page.waitForFunction does not await an async predicate, hence this loop.
  while (Date.now() < deadline) {
    const ready = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration?.active?.state !== 'activated') return false;
      for (const key of await caches.keys()) {
        const entries = await (await caches.open(key)).keys();
        if (entries.some((r) => /duckdb-eh-.*\.wasm$/.test(r.url))) return true;
      }
      return false;
    });
    if (ready) return;
    await page.waitForTimeout(250);
  }
  throw new Error('The service worker did not finish precaching the app in time.');
}
