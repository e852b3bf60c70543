import { detectEncodingForJson } from './text.ts';
import { parseJson, parseNdjson, type Parsed } from './json.ts';
import { streamParquet, type BatchSink, type ParquetWasm } from './parquet.ts';
import { parseXlsx, type Sheet } from './xlsx.ts';

/**
 * Formats that are decoded in JavaScript before DuckDB sees them (JSON, XLSX, and
 * Parquet where the engine cannot read it). In the browser these run in the
 * ingest worker (workers/ingest.worker.ts); in Node they run in process.
 */
export interface Decoders {
  json(file: string, data: Blob | Uint8Array, format: 'json' | 'ndjson'): Promise<Parsed>;
  xlsx(file: string, data: Blob | Uint8Array): Promise<Sheet[]>;
  parquet(file: string, data: Blob | Uint8Array, onBatch: BatchSink): Promise<number>;
  /** The file's SHA-256 (hex) computed elsewhere, e.g. in a worker; in process when absent. */
  sha256?(data: Blob | Uint8Array): Promise<string>;
}

async function bytesOf(data: Blob | Uint8Array): Promise<Uint8Array> {
  return data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
}

export function localDecoders(loadParquet: () => Promise<ParquetWasm>): Decoders {
  return {
    async json(file, data, format) {
      const bytes = await bytesOf(data);
      const text = new TextDecoder(detectEncodingForJson(bytes)).decode(bytes);
      return format === 'ndjson' ? parseNdjson(file, text) : parseJson(file, text);
    },
    async xlsx(file, data) {
      return parseXlsx(file, await bytesOf(data));
    },
    async parquet(file, data, onBatch) {
      return streamParquet(await loadParquet(), file, data, onBatch);
    },
  };
}
