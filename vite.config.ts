/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { chromiumLaunchOptions } from './test/support/chromium.ts';

process.env.TZ = 'UTC';

/** The shared real datasets (../shared/data), read by tests in Node and in Chromium. */
const sharedData = resolve(import.meta.dirname, '../shared/data');

/**
 * DuckDB-WASM's worker scripts point at source maps outside the package, which
 * floods dev and test logs with warnings; strip the reference when Vite loads them
 * as modules (but not for `?url` imports, which must stay plain assets), and keep
 * them in the bundle although the package declares itself free of side effects.
 */
function quietDuckdbWorkers(): Plugin {
  return {
    name: 'retain:quiet-duckdb-workers',
    enforce: 'pre',
    load(id) {
      const [file, query = ''] = id.split('?');
      if (!/@duckdb\/duckdb-wasm\/dist\/duckdb-browser-[\w.-]+\.worker\.js$/.test(file)) return;
      if (/(^|&)url\b/.test(query)) return;
      return {
        code: readFileSync(file, 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, ''),
        // The package says it has no side effects, but workers/duckdb.worker.ts imports
        // this script for exactly its side effect (it installs DuckDB's message handler).
        moduleSideEffects: true,
      };
    },
  };
}

export default defineConfig({
  // Relative base: the build works from any sub-path (e.g. a GitHub Pages project site).
  base: './',
  plugins: [
    quietDuckdbWorkers(),
    svelte(),
    VitePWA({
      registerType: 'prompt',
      // Registered by the app itself after the first query, so it does not compete with start-up.
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/*.png', 'samples/*'],
      manifest: {
        name: 'Retain: retention analytics',
        short_name: 'Retain',
        description:
          'A private, offline retention-analytics notebook. Your data never leaves this browser.',
        theme_color: '#1f4e5f',
        background_color: '#f7f6f2',
        display: 'standalone',
        // A stable identity for the installed app, so a later change of start_url does
        // not make the browser treat it as a different app.
        id: './',
        start_url: '.',
        scope: '.',
        // PNGs from scripts/make-icons.mjs: plain ones edge to edge, maskable ones with
        // the mark inside the launcher's safe zone on the brand colour.
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: 'icons/icon-maskable-192.png',
            sizes: '192x192',
            type: 'image/png',
            purpose: 'maskable',
          },
          {
            src: 'icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest,parquet,csv,txt}'],
        // The DuckDB wasm is ~34 MB, far above Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // Workers are bundled on their own: they need the DuckDB worker plugin too.
  worker: { format: 'es', plugins: () => [quietDuckdbWorkers()] },
  optimizeDeps: {
    exclude: ['parquet-wasm'],
    include: [
      'apache-arrow',
      'comlink',
      '@e965/xlsx',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: { port: 4173, strictPort: false },
  server: { fs: { allow: ['.', sharedData] } },
  test: {
    provide: { sharedData },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: chromiumLaunchOptions,
              contextOptions: { timezoneId: 'UTC', locale: 'en-GB' },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
