/**
 * The initial download of a built app: the files index.html loads before any
 * interaction (its module scripts, modulepreloads and stylesheets, and every module
 * those scripts import statically), each compressed with brotli at quality 11 as a
 * static host would serve it. Dynamic `import()`s (DuckDB, tfjs, the notebook) are
 * not counted: they load later.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

/** Attribute value `name` of one HTML tag, or undefined. */
function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Same-origin addresses index.html loads at once: module scripts, modulepreloads, stylesheets. */
export function initialAssets(html: string): string[] {
  const out: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const isScript = /^<script/i.test(tag);
    const rel = attribute(tag, 'rel')?.toLowerCase();
    const href = isScript ? attribute(tag, 'src') : attribute(tag, 'href');
    if (!href || /^(?:[a-z]+:)?\/\//i.test(href) || href.startsWith('data:')) continue;
    if (
      isScript
        ? attribute(tag, 'type') === 'module'
        : rel === 'modulepreload' || rel === 'stylesheet'
    )
      out.push(href);
  }
  return [...new Set(out)];
}

/**
 * Relative modules a minified ES module imports statically (`import … from "./x.js"`,
 * `import "./x.js"`, `export … from "./x.js"`); `import("./x.js")` is left out.
 */
export function staticImports(js: string): string[] {
  const out = new Set<string>();
  const pattern =
    /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
  for (const match of js.matchAll(pattern)) out.add(match[1]);
  return [...out];
}

/** One file of the initial download. */
export interface AssetSize {
  file: string;
  bytes: number;
  brotli: number;
}

/** The files of {@link initialAssets}, their static imports followed, with raw and brotli sizes. */
export async function initialBundle(dist: string): Promise<{ files: AssetSize[]; brotli: number }> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  // Addresses are relative to the page (base './' or '/'): make them paths inside dist.
  const queue = initialAssets(html).map((href) => posix.normalize(href.replace(/^\.?\//, '')));
  const seen = new Set<string>();
  const files: AssetSize[] = [];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const bytes = await readFile(join(dist, file));
    const brotli = brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
    files.push({ file, bytes: bytes.length, brotli });
    if (file.endsWith('.js'))
      for (const spec of staticImports(bytes.toString('utf8')))
        queue.push(posix.normalize(posix.join(dirname(file), spec)));
  }
  return { files, brotli: files.reduce((sum, f) => sum + f.brotli, 0) };
}
