import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { initialAssets, initialBundle, staticImports } from '../../../scripts/bench/bundle-size.ts';

const HTML = `<!doctype html><html><head>
<link rel="icon" href="./favicon.svg" type="image/svg+xml" />
<script type="module" crossorigin src="./assets/index-A.js"></script>
<link rel="modulepreload" crossorigin href="./assets/vendor-B.js">
<link rel=stylesheet href='/assets/index-C.css'>
<link rel="manifest" href="./manifest.webmanifest">
<link rel="stylesheet" href="https://cdn.example.com/font.css">
<script src="./legacy.js"></script>
</head><body></body></html>`;

describe('the initial download', () => {
  it('is the module scripts, modulepreloads and stylesheets of index.html, same origin only', () => {
    // Not the icon, the manifest, a classic script or another origin's stylesheet.
    expect(initialAssets(HTML)).toEqual([
      './assets/index-A.js',
      './assets/vendor-B.js',
      '/assets/index-C.css',
    ]);
  });

  it('follows static imports and exports of minified modules, not import()', () => {
    const js =
      'import{a as b}from"./vendor-B.js";import"./side-D.js";export{c}from"../up-E.js";' +
      'const l=()=>import("./lazy-F.js");const s="./not-an-import.js";';
    expect(staticImports(js)).toEqual(['./vendor-B.js', './side-D.js', '../up-E.js']);
  });

  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('sums brotli-11 sizes of exactly those files, each once', async () => {
    const dist = await mkdtemp(join(tmpdir(), 'bundle-size-'));
    dirs.push(dist);
    await mkdir(join(dist, 'assets'));
    const files: Record<string, string> = {
      'assets/index-A.js':
        'import"./vendor-B.js";import"./side-D.js";import("./lazy-F.js");'.repeat(3),
      'assets/vendor-B.js': 'export const v=1;'.repeat(50),
      'assets/side-D.js': 'import"./vendor-B.js";console.log("side");',
      'assets/index-C.css': 'body{color:red}'.repeat(20),
      'assets/lazy-F.js': 'export const big="x";'.repeat(500),
    };
    for (const [file, text] of Object.entries(files)) await writeFile(join(dist, file), text);
    await writeFile(join(dist, 'index.html'), HTML.replace('./favicon.svg', './x.svg'));
    const expected = [
      'assets/index-A.js',
      'assets/vendor-B.js',
      'assets/index-C.css',
      'assets/side-D.js',
    ]
      .map(
        (f) =>
          brotliCompressSync(Buffer.from(files[f]), {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
          }).length,
      )
      .reduce((a, b) => a + b, 0);
    const bundle = await initialBundle(dist);
    expect(bundle.files.map((f) => f.file).sort()).toEqual([
      'assets/index-A.js',
      'assets/index-C.css',
      'assets/side-D.js',
      'assets/vendor-B.js',
    ]);
    expect(bundle.brotli).toBe(expected);
    expect(bundle.files.find((f) => f.file === 'assets/vendor-B.js')?.bytes).toBe(17 * 50);
  });
});
