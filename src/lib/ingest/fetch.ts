import { IngestError } from './errors.ts';
import { fromBlob, type InputFile } from './input.ts';

export interface FetchHooks {
  signal?: AbortSignal;
  /** Bytes received so far, and the total when the server says it. */
  onProgress?: (received: number, total: number | null) => void;
  /** The page's own origin, to resolve relative URLs (e.g. bundled samples). */
  base?: string;
}

/** A file name for a URL: Content-Disposition's, else the last path segment. */
export function nameFromUrl(url: URL, disposition?: string | null): string {
  const fromHeader = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  if (fromHeader) return decodeURIComponent(fromHeader);
  const last = url.pathname.split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last) : url.hostname || 'data';
}

/**
 * Download a data file the user pointed at (a `?data=` link or the URL dialog).
 * This is the only request Retain makes to another origin, and only when asked.
 */
export async function fetchInput(address: string, hooks: FetchHooks = {}): Promise<InputFile> {
  let url: URL;
  try {
    url = new URL(address.trim(), hooks.base);
  } catch {
    throw new IngestError(
      address,
      'This is not a valid web address.',
      'Paste a full address starting with https://.',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new IngestError(
      address,
      `Addresses starting with ${url.protocol} cannot be loaded.`,
      'Use an https:// address.',
    );
  }
  const name = nameFromUrl(url);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: hooks.signal,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    if (hooks.signal?.aborted) throw error;
    throw new IngestError(
      name,
      `The file at ${url.host} could not be downloaded: the server did not answer, you are offline, or it does not allow other sites to read it (CORS).`,
      'Check the address and your connection, or download the file and drop it here instead.',
    );
  }
  if (!response.ok) {
    throw new IngestError(
      name,
      `The server at ${url.host} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      response.status === 404
        ? 'Check the address: there is no file there.'
        : 'Check the address, or download the file and drop it here instead.',
    );
  }
  const total = Number(response.headers.get('content-length')) || null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      hooks.onProgress?.(received, total);
    }
  }
  const blob = new Blob(chunks, { type: response.headers.get('content-type') ?? '' });
  return fromBlob(blob, nameFromUrl(url, response.headers.get('content-disposition')));
}
