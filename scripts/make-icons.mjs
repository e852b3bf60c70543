// Renders public/favicon.svg to the PNG icons the web app manifest lists.
// Run once after changing the SVG: node scripts/make-icons.mjs
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const svg = await readFile(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const sized = svg.replace('<svg ', '<svg width="100%" height="100%" ');

/**
 * Each icon: `scale` is the share of the square the mark fills. Plain ("any") icons
 * show the mark edge to edge on a transparent background; maskable icons keep it
 * inside the safe zone (the central circle of 80 % diameter that every launcher
 * mask leaves visible) on the brand colour, which fills whatever the mask shows.
 */
const icons = [
  { file: 'icon-192.png', size: 192, scale: 1, background: 'transparent' },
  { file: 'icon-512.png', size: 512, scale: 1, background: 'transparent' },
  { file: 'icon-maskable-192.png', size: 192, scale: 0.7, background: '#1f4e5f' },
  { file: 'icon-maskable-512.png', size: 512, scale: 0.7, background: '#1f4e5f' },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const { file, size, scale, background } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const mark = Math.round(size * scale);
    await page.setContent(
      `<body style="margin:0;background:${background};display:grid;place-items:center;height:${size}px">
         <div style="width:${mark}px;height:${mark}px">${sized}</div>
       </body>`,
    );
    await page.screenshot({
      path: new URL(`../public/icons/${file}`, import.meta.url).pathname,
      omitBackground: background === 'transparent',
    });
    await page.close();
  }
} finally {
  await browser.close();
}
