import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Decoders } from './decoders.ts';
import { localDecoders } from './decoders.ts';
import type { InputFile } from './input.ts';
import type { ParquetWasm } from './parquet.ts';

/** A file on disk, for the CLI, tests and benchmarks. Node only. */
export async function fromPath(path: string): Promise<InputFile> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file.`);
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
