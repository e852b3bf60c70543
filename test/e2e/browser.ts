import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { chromiumLaunchOptions } from '../support/chromium.ts';

let browser: Browser | undefined;

export async function launch(): Promise<Browser> {
  browser ??= await chromium.launch(chromiumLaunchOptions);
  return browser;
}

export async function closeBrowser() {
  await browser?.close();
  browser = undefined;
}

/** A fresh, isolated browser profile (its own OPFS, service worker and caches). */
export interface Session {
  context: BrowserContext;
  page: Page;
  base: URL;
  /** Every URL the tab (and its workers and service worker) requested. */
  requests: string[];
  /** Requests to any origin but the app's own: must stay empty. */
  foreign(): string[];
  errors: string[];
}

export async function open(
  path = '',
  options: { acceptDownloads?: boolean } = {},
): Promise<Session> {
  const context = await (
    await launch()
  ).newContext({
    viewport: { width: 1280, height: 860 },
    timezoneId: 'UTC',
    locale: 'en-GB',
    acceptDownloads: options.acceptDownloads ?? false,
  });
  const base = new URL(inject('baseURL'));
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  // A request the Content-Security-Policy stopped never left the browser: it does not count.
  context.on('requestfailed', (request) => {
    if (/^(csp|net::ERR_BLOCKED_BY_CSP)$/.test(request.failure()?.errorText ?? '')) {
      requests.splice(requests.lastIndexOf(request.url()), 1);
    }
  });
  // Every Content-Security-Policy violation is kept, so a test fails on anything the policy blocked.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`),
    );
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL(path, base).href);
  return {
    context,
    page,
    base,
    requests,
    errors,
    foreign: () =>
      requests.filter((url) => {
        if (url.startsWith('data:') || url.startsWith('blob:')) return false;
        return new URL(url).origin !== base.origin;
      }),
  };
}

export { waitForOffline } from '../support/service-worker.ts';

/**
 * Go to the notebook and add an analysis cell (by its label in "Add an analysis")
 * after the last cell; returns the new cell.
 */
export async function addAnalysis(page: Page, label: string) {
  await page.getByRole('link', { name: 'Notebook' }).click();
  const cells = page.getByTestId('cell');
  await cells.first().waitFor({ timeout: 60_000 });
  const before = await cells.count();
  await page.getByRole('combobox', { name: 'Add an analysis' }).last().selectOption({ label });
  await expect.poll(() => cells.count()).toBe(before + 1);
  return cells.last();
}

/** What the page's Content-Security-Policy blocked so far (none on a page that is gone). */
export async function cspViolations(page: Page | undefined): Promise<string[]> {
  if (!page || page.isClosed()) return [];
  try {
    return await page.evaluate(
      () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
    );
  } catch {
    return []; // navigating away or closed meanwhile
  }
}

/**
 * After each test: the tab contacted no other origin (but the `allowed` addresses a test
 * gave as data), threw no error and broke no rule of its Content-Security-Policy; then
 * its profile closes.
 */
export async function finish(session: Session | undefined, allowed: string[] = []) {
  expect(session?.foreign().filter((url) => !allowed.includes(url)) ?? []).toEqual([]);
  expect(session?.errors ?? []).toEqual([]);
  expect(await cspViolations(session?.page)).toEqual([]);
  await session?.context.close();
}
