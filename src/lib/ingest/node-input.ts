import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Decoders } from './decoders.ts';
import { localDecoders } from './decoders.ts';
import { IngestError } from './errors.ts';
import type { InputFile } from './input.ts';
import type { ParquetWasm } from './parquet.ts';

/** A file on disk, for the CLI, tests and benchmarks. Node only. */
export async function fromPath(path: string): Promise<InputFile> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new IngestError(
      basename(path),
      `There is no file at ${path}.`,
      'Check the path and the spelling.',
    );
  if (!info.isFile())
    throw new IngestError(
      basename(path),
      `${path} is a folder, not a file.`,
      'Name the data files inside it.',
    );
  return {
    name: basename(path),
    size: info.size,
    async head(bytes) {
      const handle = await open(path);
      try {
        const buffer = new Uint8Array(Math.min(bytes, info.size));
        await handle.read(buffer, 0, buffer.length, 0);
        return buffer;
      } finally {
        await handle.close();
      }
    },
    stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
    source: { path },
    data: async () => new Uint8Array(await readFile(path)),
  };
}

/** In-process decoders for Node (parquet-wasm's Node build initialises itself). */
export const nodeDecoders: Decoders = localDecoders(
  async () => (await import('parquet-wasm')) as unknown as ParquetWasm,
);
