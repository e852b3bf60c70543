#!/usr/bin/env node
// npm start: build the app and serve the production build, with a link that opens
// it on the bundled Online Retail sample.
import { build, preview } from 'vite';

process.env.NODE_ENV = 'production';
await build({ mode: 'production', logLevel: 'warn' });
const server = await preview({
  preview: { port: Number(process.env.PORT ?? 4173), strictPort: false },
});
const url = server.resolvedUrls?.local[0] ?? 'http://localhost:4173/';
console.log(
  `\nRetain is running. Open it with the Online Retail sample loaded:\n\n  ${url}?sample=online-retail\n`,
);
console.log(`Or start empty at ${url} (press Ctrl+C to stop).`);
