/**
 * A profile, not a test: serves a production build with `vite preview`, opens it in
 * Debian's Chromium and reports, as medians of several runs,
 *   - engine ready on a first visit (fresh profile, nothing cached),
 *   - engine ready from the service worker's cache (a reload once it has precached, with
 *     the CSV's table saved when --csv is given),
 *   - loading a CSV through the file input (rows per second), when --csv is given,
 *   - main-thread long tasks (over 50 ms) seen during each phase.
 * The times come from the app's own performance marks (src/state/session.svelte.ts).
 *
 *   npx vite build --outDir /tmp/retain-dist
 *   npx tsx scripts/profile-startup.ts --dist /tmp/retain-dist [--runs 3] [--csv orders.csv --rows 1000000]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../test/support/chromium.ts';
import { waitForOffline } from '../test/support/service-worker.ts';
import { observeLongTasks } from './bench/chromium.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string' },
    runs: { type: 'string', default: '3' },
    csv: { type: 'string' },
    rows: { type: 'string' },
  },
});
if (!values.dist)
  throw new Error(
    'Give the built app with --dist <folder> (from `npx vite build --outDir <folder>`).',
  );
const runs = Number(values.runs);

interface PageTimes {
  ready: number;
  /** The engine's start-up marks, for where the time goes. */
  marks: string;
  longTasks: { start: number; duration: number }[];
}

async function waitForMark(page: Page, name: string, timeout = 120_000): Promise<number> {
  const handle = await page.waitForFunction(
    (n) => performance.getEntriesByName(n)[0]?.startTime ?? false,
    name,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

async function times(page: Page): Promise<PageTimes> {
  const ready = await waitForMark(page, 'retain:engine-ready');
  // Let the work right after "ready" (restoring notebooks, the first preview) show its long tasks too.
  await page.waitForTimeout(1500);
  const longTasks = await page.evaluate(
    () => (window as unknown as { __longTasks: PageTimes['longTasks'] }).__longTasks,
  );
  const marks = await page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('retain:engine'))
      .map((m) => `${m.name.slice(7)} ${Math.round(m.startTime)}`)
      .join(', '),
  );
  return { ready, longTasks, marks };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) =>
  `median ${Math.round(median(xs))} ms (${xs.map(Math.round).join(', ')})`;
const longOnes = (t: PageTimes['longTasks'], from = 0, to = Infinity) =>
  t
    .filter((x) => x.start >= from && x.start < to && x.duration > 50)
    .map((x) => `${Math.round(x.duration)} ms at ${Math.round(x.start)}`);

const server = await preview({
  root: resolve(import.meta.dirname, '..'),
  logLevel: 'warn',
  build: { outDir: resolve(values.dist) },
  preview: { port: 4390, strictPort: false, host: '127.0.0.1' },
});
const base = server.resolvedUrls?.local[0];
if (!base) throw new Error('vite preview did not report its address.');
const browser = await chromium.launch(chromiumLaunchOptions);
const first: number[] = [];
const cached: number[] = [];
const ingest: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    await context.addInitScript(observeLongTasks);
    const page = await context.newPage();
    await page.goto(base);
    const cold = await times(page);
    first.push(cold.ready);
    console.log(
      `run ${run + 1} first visit: ready ${Math.round(cold.ready)} ms, long tasks ${JSON.stringify(longOnes(cold.longTasks))}\n  ${cold.marks}`,
    );
    await waitForOffline(page, 150_000);
    if (values.csv) {
      const input = page.locator('input[type=file]').first();
      await input.setInputFiles(resolve(values.csv));
      const start = await waitForMark(page, 'retain:load-start');
      const end = await waitForMark(page, 'retain:load-end', 600_000).catch(async (error) => {
        console.log((await page.locator('main').innerText()).slice(0, 800));
        throw error;
      });
      ingest.push(end - start);
      await page.waitForTimeout(3000);
      const all = await page.evaluate(
        () => (window as unknown as { __longTasks: PageTimes['longTasks'] }).__longTasks,
      );
      const rate = values.rows
        ? ` = ${Math.round(Number(values.rows) / ((end - start) / 1000)).toLocaleString('en')} rows/s`
        : '';
      console.log(
        `run ${run + 1} CSV load (from ${Math.round(start)}): ${Math.round(end - start)} ms${rate}, long tasks during and 3 s after ${JSON.stringify(longOnes(all, start))}`,
      );
      // Any further marks the app (or an instrumented build) sets during the load, as offsets.
      const phases = await page.evaluate(
        ([from, to]) =>
          performance
            .getEntriesByType('mark')
            .filter((m) => m.name.startsWith('retain:') && m.startTime >= from && m.startTime <= to)
            .map((m) => `${m.name.slice(7)} +${Math.round(m.startTime - from)}`),
        [start, end],
      );
      if (phases.length) console.log(`  phases: ${phases.join(', ')}`);
    }
    await page.reload();
    const warm = await times(page);
    cached.push(warm.ready);
    console.log(
      `run ${run + 1} from cache: ready ${Math.round(warm.ready)} ms, long tasks ${JSON.stringify(longOnes(warm.longTasks))}\n  ${warm.marks}`,
    );
    await context.close();
  }
  console.log(`\nengine ready, first visit: ${fmt(first)}`);
  console.log(`engine ready, from cache:  ${fmt(cached)}`);
  if (ingest.length) {
    const rows = values.rows ? Number(values.rows) : NaN;
    console.log(
      `CSV load: ${fmt(ingest)}${rows ? `, ${Math.round(rows / (median(ingest) / 1000)).toLocaleString('en')} rows/s` : ''}`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
