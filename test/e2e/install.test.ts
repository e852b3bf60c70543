import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, expect, inject, it } from 'vitest';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import {
  closeBrowser,
  cspViolations,
  finish,
  open,
  waitForOffline,
  type Session,
} from './browser.ts';

afterAll(closeBrowser);
let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian), after its signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (bytes.subarray(0, 8).toString('hex') !== signature) throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

it('passes Chromium’s installability checks, with PNG icons of the sizes the manifest declares', async () => {
  // Chromium never offers to install from an incognito profile (what open() gives):
  // this test runs in a real, on-disk profile of its own.
  const profile = await mkdtemp(join(tmpdir(), 'retain-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    viewport: { width: 1280, height: 860 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  const base = new URL(inject('baseURL'));
  const foreign: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => {
    const url = r.url();
    if (!/^(data|blob):/.test(url) && new URL(url).origin !== base.origin) foreign.push(url);
  });
  // The same CSP watch open() installs, so a blocked request fails this test too.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`),
    );
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(new URL('./?sample=cdnow', base).href);
    await page.getByTestId('table-item').first().waitFor({ timeout: 60_000 });
    // The service worker registers after the first query; installability needs it in control.
    await waitForOffline(page);
    await page.reload();
    await page.getByTestId('table-item').first().waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    const cdp = await page.context().newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: { message: string }[];
      parsed?: { icons?: { url: string; type?: string; sizes?: string[]; purpose?: string[] }[] };
    };
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);

    // Read the manifest as served and check every PNG icon's real size.
    const json = (await (await page.request.get(manifest.url)).json()) as {
      id?: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(json.id).toBeTruthy();
    expect(json.display).toBe('standalone');
    const pngs = json.icons.filter((icon) => icon.type === 'image/png');
    // Chromium requires a 192 px and a 512 px icon; a maskable one is its own file.
    expect(pngs.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    const maskable = pngs.filter((icon) => icon.purpose === 'maskable');
    expect(maskable.length).toBeGreaterThan(0);
    expect(
      maskable.every((m) => pngs.some((p) => p.purpose !== 'maskable' && p.src !== m.src)),
    ).toBe(true);
    for (const icon of pngs) {
      const response = await page.request.get(new URL(icon.src, manifest.url).href);
      expect(response.ok(), icon.src).toBe(true);
      expect(response.headers()['content-type']).toContain('image/png');
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(pngSize(await response.body()), icon.src).toEqual({ width: w, height: h });
    }
    await cdp.detach();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

it('offers "Install Retain" when the browser allows it, prompts on click, and remembers "Not now"', async () => {
  session = await open('./');
  const { page } = session;
  await page.getByRole('heading', { level: 1 }).waitFor();
  const hint = page.getByTestId('install-hint');
  expect(await hint.count()).toBe(0);

  // Headless Chromium does not fire beforeinstallprompt itself: dispatch one with a prompt() stub.
  const offer = () =>
    page.evaluate(() => {
      const w = window as unknown as { __prompted: number };
      w.__prompted = 0;
      const event = new Event('beforeinstallprompt', { cancelable: true });
      Object.assign(event, { prompt: async () => void w.__prompted++ });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
  expect(await offer()).toBe(true);
  await hint.waitFor();
  await expect.poll(() => hint.textContent()).toContain('Works offline');
  await page.getByRole('button', { name: 'Install Retain' }).click();
  expect(await page.evaluate(() => (window as unknown as { __prompted: number }).__prompted)).toBe(
    1,
  );
  await hint.waitFor({ state: 'detached' });

  // Offered again, then dismissed: after a reload a new offer stays quiet.
  await offer();
  await page.getByRole('button', { name: 'Not now' }).click();
  await hint.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await offer();
  await page.waitForTimeout(300);
  expect(await hint.count()).toBe(0);
});
