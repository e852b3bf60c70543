// Renders public/favicon.svg to the PNG icons the web app manifest lists.
// Run once after changing the SVG: node scripts/make-icons.mjs
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const svg = await readFile(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    // Maskable icons need a safe zone: draw the mark at 80 % on the brand colour.
    await page.setContent(
      `<body style="margin:0;background:#1f4e5f;display:grid;place-items:center;height:${size}px">
         <div style="width:${size * 0.8}px;height:${size * 0.8}px">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div>
       </body>`,
    );
    await page.screenshot({
      path: new URL(`../public/icons/icon-${size}.png`, import.meta.url).pathname,
    });
    await page.close();
  }
} finally {
  await browser.close();
}
