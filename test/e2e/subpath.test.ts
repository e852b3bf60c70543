import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { closeBrowser, launch, waitForOffline } from './browser.ts';

/** A bare static host (like GitHub Pages) that serves the build under a project sub-path. */
const SUBPATH = '/acme/retain/';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.csv': 'text/csv',
};

let server: Server;
let origin: string;

beforeAll(async () => {
  const root = inject('e2eDist');
  server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!path.startsWith(SUBPATH)) {
      res.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, path.slice(SUBPATH.length) || 'index.html'));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) file = join(file, 'index.html');
    else if (!info) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeBrowser();
  await new Promise((resolve) => server.close(resolve));
});

it('runs from a sub-path of a plain static host, offline included', async () => {
  const context = await (await launch()).newContext();
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  try {
    const page = await context.newPage();
    await page.goto(`${origin}${SUBPATH}?sample=telco`);
    const count = page.getByTestId('row-count');
    await expect.poll(() => count.first().textContent(), { timeout: 30_000 }).toBe('7,043');
    await waitForOffline(page);
    const scope = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration())?.scope,
    );
    expect(scope).toBe(`${origin}${SUBPATH}`);
    // Every request stayed under the sub-path: nothing assumes the app lives at /.
    expect(requests.filter((url) => !url.startsWith(`${origin}${SUBPATH}`))).toEqual([]);
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => count.first().textContent(), { timeout: 30_000 }).toBe('7,043');
  } finally {
    await context.close();
  }
});
