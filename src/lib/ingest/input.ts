import type { FileSource } from '../engine/types.ts';

/** A file to load, wherever it comes from (a dropped File, a URL, bytes, a path in Node). */
export interface InputFile {
  name: string;
  size: number;
  /** The first `bytes` bytes. */
  head(bytes: number): Promise<Uint8Array>;
  /** The whole content as a stream (for transcoding and decompression). */
  stream(): ReadableStream<Uint8Array>;
  /** What the engine registers. */
  source: FileSource;
  /** The content for JavaScript decoders (JSON, XLSX, Parquet in the browser). */
  data(): Promise<Blob | Uint8Array>;
}

export function fromBlob(blob: Blob, name = (blob as File).name ?? 'data'): InputFile {
  return {
    name,
    size: blob.size,
    head: async (bytes) => new Uint8Array(await blob.slice(0, bytes).arrayBuffer()),
    stream: () => blob.stream(),
    source: blob,
    data: async () => blob,
  };
}

export function fromBytes(name: string, bytes: Uint8Array): InputFile {
  return {
    name,
    size: bytes.length,
    head: async (n) => bytes.subarray(0, n),
    stream: () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      }),
    // A copy: registering transfers the buffer to the engine's worker.
    get source() {
      return bytes.slice();
    },
    data: async () => bytes,
  };
}

/** Read a stream fully into one byte array. */
export async function collect(
  stream: ReadableStream<Uint8Array>,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    if (signal?.aborted) {
      await reader.cancel();
      throw new DOMException('Cancelled', 'AbortError');
    }
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    onBytes?.(total);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** The first `bytes` bytes of a stream (e.g. of decompressed data). */
export async function streamHead(stream: ReadableStream<Uint8Array>, bytes: number) {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  await reader.cancel().catch(() => undefined);
  const out = new Uint8Array(Math.min(total, bytes));
  let offset = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - offset);
    out.set(part, offset);
    offset += part.length;
    if (offset >= out.length) break;
  }
  return out;
}

/** Decompress a gzip stream. */
export function gunzip(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return stream.pipeThrough(
    new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
}

/** Re-encode a text stream from `encoding` to UTF-8. */
export function toUtf8(
  stream: ReadableStream<Uint8Array>,
  encoding: string,
): ReadableStream<Uint8Array> {
  return stream
    .pipeThrough(new TextDecoderStream(encoding) as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new TextEncoderStream());
}
