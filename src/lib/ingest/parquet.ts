import { incompleteParquet, IngestError } from './errors.ts';

/** The part of parquet-wasm we use; the browser and Node builds both provide it. */
export interface ParquetWasm {
  ParquetFile: {
    fromFile(handle: Blob): Promise<{
      metadata(): { fileMetadata(): { numRows(): number } };
      stream(options?: {
        batchSize?: number;
      }): Promise<ReadableStream<{ numRows: number; intoIPCStream(): Uint8Array }>>;
    }>;
  };
}

/** Receives each decoded batch as an Arrow IPC stream, with rows done and rows in all. */
export type BatchSink = (ipc: Uint8Array, done: number, total: number) => Promise<void>;

const BATCH_ROWS = 128 * 1024;

/**
 * Stream a Parquet file as Arrow record batches (parquet-wasm), so memory stays
 * bounded by one batch rather than the whole file. Used where DuckDB's own
 * Parquet reader is unavailable (DuckDB-WASM fetches it from a CDN, which we never do).
 */
export async function streamParquet(
  pq: ParquetWasm,
  file: string,
  data: Blob | Uint8Array,
  onBatch: BatchSink,
): Promise<number> {
  const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>]);
  let done = 0;
  try {
    const parquet = await pq.ParquetFile.fromFile(blob);
    const total = Number(parquet.metadata().fileMetadata().numRows());
    const stream = await parquet.stream({ batchSize: BATCH_ROWS });
    const reader = stream.getReader();
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      done += value.numRows;
      await onBatch(value.intoIPCStream(), done, total);
    }
    return done;
  } catch (error) {
    if (error instanceof IngestError) throw error;
    const text = error instanceof Error ? error.message : String(error);
    if (done === 0 && /footer|magic|EOF|corrupt/i.test(text)) throw incompleteParquet(file);
    throw new IngestError(
      file,
      `The Parquet file cannot be read${done > 0 ? ` after ${done.toLocaleString('en')} rows` : ''}: ${text.replace(/^Parquet error: /i, '')}.`,
      'The file looks damaged or truncated: download or export it again.',
    );
  }
}
