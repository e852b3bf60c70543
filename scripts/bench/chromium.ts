/**
 * The Chromium side of `npm run bench`: the production build (vite build into the
 * benchmark's folder, served by vite preview on 127.0.0.1) in Debian's headless
 * Chromium, driven by playwright-core. Engine start-up and ingest go through the app
 * exactly as a person uses it (a fresh profile, the file picker); the analyses and
 * training through the `?bench` hook (src/state/bench-hook.ts), which calls the same
 * modules as the cells on the app's own workers. A long-task observer is installed
 * before any page script runs, so every step reports its main-thread long tasks.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import type { BenchHook, BenchTiming } from '../../src/state/bench-hook.ts';
import { chromiumLaunchOptions } from '../../test/support/chromium.ts';
import { waitForOffline } from '../../test/support/service-worker.ts';
import type { StepName } from '../../bench/steps.ts';

/** A main-thread long task, in page time (ms since the page's time origin). */
export interface LongTask {
  start: number;
  duration: number;
}

/** One measured step in the tab: its time and the long tasks that overlapped it. */
export interface TabFigure {
  ms: number;
  longTasks: number[];
}

/** Build the production app into `dist` (as test/e2e/global-setup.ts does). */
export async function buildApp(root: string, dist: string) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root,
      mode: 'production',
      // The build's warnings (large chunks, DuckDB's eval) are known; keep the figures readable.
      logLevel: 'error',
      build: { outDir: dist, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/** Serve `dist` with vite preview; returns its address and a way to stop it. */
export async function serve(root: string, dist: string) {
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir: dist },
    preview: { port: 4391, strictPort: false, host: '127.0.0.1' },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address.');
  return { url, close: () => server.close() };
}

/** Runs in every page before its scripts: records long tasks from the first moment. */
export function observeLongTasks() {
  const tasks: { start: number; duration: number }[] = [];
  (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

export function launch(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/** A fresh profile: no service worker, empty caches and OPFS. */
export async function freshContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
  await context.addInitScript(observeLongTasks);
  return context;
}

/** `promise`, or a clear error after `ms` (a hung page.evaluate would wait forever). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} took longer than ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The page-time stamp of one of the app's performance marks, once it exists. */
export async function mark(page: Page, name: string, timeout = 120_000): Promise<number> {
  const handle = await page.waitForFunction(
    (n) => performance.getEntriesByName(n)[0]?.startTime ?? false,
    name,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

/** Durations of the long tasks that overlapped [from, to] (after letting the observer deliver). */
export async function longTasksIn(page: Page, from: number, to: number): Promise<number[]> {
  await page.waitForTimeout(300);
  const all = await page.evaluate(
    () => (window as unknown as { __longTasks: LongTask[] }).__longTasks,
  );
  return all
    .filter((t) => t.start + t.duration > from && t.start < to)
    .map((t) => Math.round(t.duration));
}

/** Engine ready on a first visit: a fresh profile each run (nothing cached, no service worker). */
export async function firstVisit(browser: Browser, base: string): Promise<TabFigure> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(base);
    const ready = await mark(page, 'retain:engine-ready');
    // The work right after "ready" (restoring notebooks, the first preview) counts as loading too.
    await page.waitForTimeout(1500);
    return { ms: ready, longTasks: await longTasksIn(page, 0, ready + 1500) };
  } finally {
    await context.close();
  }
}

/**
 * Engine ready from the service worker's cache: one profile visits once and waits for
 * the precache, then each run opens a new page (the previous one closed, since one tab
 * at a time may hold the database file) that the service worker serves.
 */
export async function fromCache(browser: Browser, base: string, runs: number) {
  const context = await freshContext(browser);
  const figures: TabFigure[] = [];
  try {
    const first = await context.newPage();
    await first.goto(base);
    await mark(first, 'retain:engine-ready');
    await waitForOffline(first, 120_000);
    await first.close();
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      await page.goto(base);
      const ready = await mark(page, 'retain:engine-ready');
      if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null)))
        throw new Error('The page was not served by the service worker.');
      await page.waitForTimeout(1500);
      figures.push({ ms: ready, longTasks: await longTasksIn(page, 0, ready + 1500) });
      await page.close();
    }
    return figures;
  } finally {
    await context.close();
  }
}

/**
 * Load `file` through the app's file picker and wait until the table is listed (the
 * load's end mark) or the app reports a problem, whose text becomes the error.
 */
export async function loadThroughPicker(
  page: Page,
  file: string,
  timeout: number,
): Promise<TabFigure> {
  await mark(page, 'retain:engine-ready');
  await page.locator('input[type=file]').first().setInputFiles(file);
  const deadline = Date.now() + timeout;
  for (;;) {
    const state = await page.evaluate(() => {
      const end = performance.getEntriesByName('retain:load-end')[0];
      const start = performance.getEntriesByName('retain:load-start')[0];
      const problem = document.querySelector(
        '.message.bad[role=alert], [data-testid=notice].warning',
      );
      return {
        start: start?.startTime,
        end: end?.startTime,
        problem: problem?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
      };
    });
    if (state.start !== undefined && state.end !== undefined) {
      return {
        ms: state.end - state.start,
        longTasks: await longTasksIn(page, state.start, state.end),
      };
    }
    if (state.problem) throw new Error(state.problem);
    if (Date.now() > deadline) throw new Error(`Loading took longer than ${timeout / 1000} s.`);
    await page.waitForTimeout(250);
  }
}

/** Ingest into a fresh profile: engine start, then the picked file. */
export async function ingest(browser: Browser, base: string, file: string, timeout: number) {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(base);
    return await loadThroughPicker(page, file, timeout);
  } finally {
    await context.close();
  }
}

/** A page with the Parquet loaded and its proposed mapping confirmed, ready for the hook. */
export async function mappedPage(browser: Browser, base: string, file: string, timeout: number) {
  const context = await freshContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(new URL('?bench', base).href);
    await loadThroughPicker(page, file, timeout);
    const confirm = page.getByRole('button', { name: 'Confirm mapping' });
    await confirm.waitFor({ timeout });
    await page.waitForFunction(
      () =>
        !(
          [...document.querySelectorAll('button')].find(
            (b) => b.textContent?.trim() === 'Confirm mapping',
          ) as HTMLButtonElement | undefined
        )?.disabled,
      null,
      { timeout },
    );
    const start = await page.evaluate(() => performance.now());
    await confirm.click();
    // The app then opens the overview, which runs its own KPI queries: let them finish.
    await page.getByTestId('kpi-customers').waitFor({ timeout });
    const end = await page.evaluate(() => performance.now());
    const longTasks = await longTasksIn(page, start, end);
    // The page's cohort and RFM sections follow the headline figures: let them finish, so
    // that the steps below run on an idle engine and their long tasks are their own.
    await page.getByTestId('rfm-segments').waitFor({ timeout });
    await page.waitForFunction(
      () =>
        ![...document.querySelectorAll('[role=status]')].some((e) =>
          e.textContent?.includes('Calculating'),
        ),
      null,
      { timeout },
    );
    await page.waitForTimeout(500);
    await page.waitForFunction(() => '__retainBench' in window, null, { timeout: 30_000 });
    return { context, page, mappingMs: end - start, longTasks };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** One analysis step through the hook, with its long tasks. */
export async function tabStep(
  page: Page,
  step: StepName,
  limitMs: number,
  timeout: number,
): Promise<TabFigure> {
  const t = await within(
    page.evaluate(
      ([name, limit]) =>
        (window as unknown as { __retainBench: BenchHook }).__retainBench.run(
          name as string,
          limit as number,
        ) as Promise<BenchTiming>,
      [step, limitMs] as const,
    ),
    timeout,
    `The ${step} step`,
  );
  return { ms: t.ms, longTasks: await longTasksIn(page, t.start, t.end) };
}

/** One training run through the hook on the Arrow file at `url` (same origin). */
export async function tabTrain(
  page: Page,
  kind: 'logistic' | 'mlp',
  url: string,
  timeout: number,
): Promise<TabFigure & { auc?: number; backend?: string }> {
  const t = await within(
    page.evaluate(
      ([k, u]) =>
        (window as unknown as { __retainBench: BenchHook }).__retainBench.train(
          k as 'logistic' | 'mlp',
          u,
        ),
      [kind, url],
    ),
    timeout,
    `Training the ${kind} model`,
  );
  return {
    ms: t.ms,
    auc: t.auc,
    backend: t.backend,
    longTasks: await longTasksIn(page, t.start, t.end),
  };
}
