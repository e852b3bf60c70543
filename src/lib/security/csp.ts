/**
 * The page's Content-Security-Policy. Retain holds a client's customer data, so the
 * tab may talk to its own origin only: scripts, workers, styles, images and fetches
 * are all 'self'. Two exceptions, each for a stated reason:
 *
 * - `'wasm-unsafe-eval'`: DuckDB and TensorFlow.js compile WebAssembly. It allows
 *   compiling wasm, not JavaScript `eval`.
 * - `style-src 'unsafe-inline'`: Observable Plot puts a `<style>` element in every
 *   chart and CodeMirror injects its theme the same way. Styles cannot send data.
 *
 * The one remote connection the product allows is a data file the user points at
 * themselves (a `?data=` link or the web-address dialog, which opens such a link):
 * that file's origin is added to `connect-src`, and nothing else. A policy set in a
 * `<meta>` element cannot be relaxed later, so another origin needs a new page load.
 */
export interface CspOptions {
  /** Origins of data files the user asked for, e.g. `https://data.example.org`. */
  dataOrigins?: readonly string[];
}

/** The policy text, one directive per concern. */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const origins = [...new Set((options.dataOrigins ?? []).filter(isHttpOrigin))];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['worker-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    // Chart PNG export draws an SVG (data:/blob: URL) into a canvas.
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...origins]],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

function isHttpOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

/**
 * The origin of the data file a page address asks for (`?data=URL`), when it is
 * another origin than the page's own; otherwise none.
 */
export function dataOriginsOf(pageHref: string): string[] {
  let page: URL;
  try {
    page = new URL(pageHref);
  } catch {
    return [];
  }
  const data = page.searchParams.get('data');
  if (!data) return [];
  try {
    const url = new URL(data, page);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return [];
    return url.origin === page.origin ? [] : [url.origin];
  } catch {
    return [];
  }
}

/** True when loading `address` from a page at `pageHref` needs a policy that allows its origin. */
export function needsNewPolicy(address: string, pageHref: string): boolean {
  try {
    const page = new URL(pageHref);
    return new URL(address, page).origin !== page.origin;
  } catch {
    return false;
  }
}
