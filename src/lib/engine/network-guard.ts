/**
 * Keeps a worker's requests on the app's own origin. DuckDB-WASM can read http(s)
 * URLs straight from SQL (`read_csv('https://…')`, through XMLHttpRequest in its
 * worker), and a worker loaded from a URL is not bound by the page's
 * Content-Security-Policy, so a query — say, in a notebook someone shared — could
 * otherwise call any address. The data engine's worker installs this guard before
 * DuckDB runs: requests to another origin fail with a SecurityError that says why.
 */
export function guardNetwork(scope: typeof globalThis, origin: string): void {
  const blockedOrigin = (url: string | URL): string | null => {
    let parsed: URL;
    try {
      parsed = new URL(String(url), origin);
    } catch {
      return null; // not a URL: the real API reports it
    }
    if (parsed.protocol === 'blob:' || parsed.protocol === 'data:') return null;
    return parsed.origin === origin ? null : parsed.origin;
  };
  const refusal = (other: string) =>
    new DOMException(
      `Retain lets queries read only its own files and the files you load, not ${other}: no request leaves this tab for another site.`,
      'SecurityError',
    );
  const XHR = scope.XMLHttpRequest;
  if (XHR) {
    const open = XHR.prototype.open;
    XHR.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      const other = blockedOrigin(args[1] as string);
      if (other) throw refusal(other);
      return (open as (...a: unknown[]) => void).apply(this, args);
    } as typeof open;
  }
  const fetch = scope.fetch?.bind(scope);
  if (fetch) {
    scope.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const other = blockedOrigin(input instanceof Request ? input.url : input);
      return other ? Promise.reject(refusal(other)) : fetch(input, init);
    }) as typeof scope.fetch;
  }
}
