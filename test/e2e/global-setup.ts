import { resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

/**
 * Where the end-to-end tests build the app (outside dist/, so a developer's build is untouched).
 * RETAIN_E2E_DIST gives another folder, so that two e2e runs on one machine do not share one build.
 */
export const e2eDist =
  process.env.RETAIN_E2E_DIST ??
  resolve(import.meta.dirname, '../../node_modules/.cache/retain-e2e/dist');

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    e2eDist: string;
  }
}

/**
 * Build the production app once and serve it with `vite preview` for the e2e tests.
 * They drive it in Debian's Chromium through playwright-core.
 */
export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  // Vitest sets NODE_ENV=test; the e2e build must be the real production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: e2eDist, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server: PreviewServer = await preview({
    root,
    logLevel: 'warn',
    build: { outDir: e2eDist },
    preview: { port: 4317, strictPort: false, host: '127.0.0.1' },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address.');
  project.provide('baseURL', url);
  project.provide('e2eDist', e2eDist);
  return async () => {
    await server.close();
  };
}
