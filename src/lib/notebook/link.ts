import { NotebookError } from './errors.ts';
import { notebookFromJson, serialiseNotebook } from './serialise.ts';
import type { Notebook } from './types.ts';

/**
 * Share links: the notebook's JSON, compressed with raw DEFLATE (the web
 * standard CompressionStream) and written in base64url, in the URL fragment
 * `#nb=…`. A fragment never reaches a server. A link holds cells, parameters
 * and (when chosen) the mapping; the model has no data rows to leak.
 * Links are hostile input, so decoding bounds every size before trusting it.
 */

/** The most characters a link fragment may have. */
export const MAX_LINK_CHARS = 500_000;
/** The most bytes a link may unpack to; reading stops as soon as it is exceeded. */
export const MAX_LINK_BYTES = 5 * 1024 * 1024;

const PREFIX = 'nb=';
const CHUNK = 64 * 1024;

/**
 * The fragment (`#nb=…`) of a share link for `nb`. The audit's answers (client
 * statements) travel only when `includeAudit` is set.
 */
export async function encodeShareLink(
  nb: Notebook,
  options: { includeMapping: boolean; includeAudit?: boolean },
): Promise<string> {
  const json = new TextEncoder().encode(
    serialiseNotebook(nb, { ...options, includeAudit: options.includeAudit ?? false }),
  );
  const compressed = await readAll(
    streamOf(json).pipeThrough(new CompressionStream('deflate-raw')),
  );
  const link = `#${PREFIX}${toBase64Url(compressed)}`;
  if (link.length > MAX_LINK_CHARS) {
    throw new NotebookError(
      'This notebook is too large to share as a link; save it as a file instead.',
    );
  }
  return link;
}

/**
 * Read a notebook from a share link's fragment (`#nb=…`, `nb=…`, or a whole
 * address ending in one). Throws a {@link NotebookError} for a link that is too
 * long, damaged, or holds an invalid notebook.
 */
export async function decodeShareLink(hash: string): Promise<Notebook> {
  if (typeof hash !== 'string') throw damaged('it is not text');
  if (hash.length > MAX_LINK_CHARS) {
    throw new NotebookError('This link is too long to be a Retain notebook.');
  }
  const fragment = hash.slice(hash.indexOf('#') + 1);
  if (!fragment.startsWith(PREFIX)) throw new NotebookError('This link does not hold a notebook.');
  const bytes = fromBase64Url(fragment.slice(PREFIX.length));
  const unpacked = await inflate(bytes);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(unpacked));
  } catch (error) {
    throw damaged('its contents are not a notebook in JSON', error);
  }
  return notebookFromJson(value);
}

function damaged(why: string, cause?: unknown): NotebookError {
  return new NotebookError(
    `This link is damaged: ${why}. It may have been cut short when copied.`,
    {
      cause,
    },
  );
}

/** Decompress raw DEFLATE, giving up as soon as the output passes {@link MAX_LINK_BYTES}. */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = streamOf(bytes).pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_LINK_BYTES) {
        await reader.cancel().catch(() => {});
        throw damaged('it unpacks to more than 5 MB, far more than any notebook');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof NotebookError) throw error;
    throw damaged('its compressed contents are incomplete or corrupt', error);
  }
  return concat(chunks, total);
}

/** A stream of `bytes` in modest chunks, so decompression proceeds only as fast as it is read. */
function streamOf(bytes: Uint8Array): ReadableStream<BufferSource> {
  let at = 0;
  return new ReadableStream<BufferSource>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + CHUNK));
      at += CHUNK;
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  if (body.length === 0) throw damaged('it holds no notebook');
  if (!/^[A-Za-z0-9_-]+$/.test(body) || body.length % 4 === 1) {
    throw damaged('it contains characters that do not belong in a notebook link');
  }
  let binary: string;
  try {
    binary = atob(body.replaceAll('-', '+').replaceAll('_', '/'));
  } catch (error) {
    throw damaged('it is not valid base64url', error);
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
