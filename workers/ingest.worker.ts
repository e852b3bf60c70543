/// <reference lib="webworker" />
/**
 * Decodes the formats DuckDB-WASM cannot read itself (Parquet without its CDN
 * extension, JSON, XLSX) into Arrow IPC, off the main thread. Cancelling a load
 * terminates this worker.
 */
import * as Comlink from 'comlink';
import init, * as parquet from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { localDecoders } from '../src/lib/ingest/decoders.ts';
import type { ParquetWasm } from '../src/lib/ingest/parquet.ts';
import { wire } from '../src/lib/ingest/wire.ts';
import { toParquet, type ParquetWriterModule } from '../src/lib/export/parquet.ts';

let parquetReady: Promise<ParquetWasm> | undefined;
const loadParquet = () =>
  (parquetReady ??= init({ module_or_path: parquetWasmUrl }).then(
    () => parquet as unknown as ParquetWasm,
  ));
const decoders = localDecoders(loadParquet);

const api = {
  json(file: string, data: Blob | Uint8Array, format: 'json' | 'ndjson') {
    return wire(async () => {
      const parsed = await decoders.json(file, data, format);
      return Comlink.transfer(parsed, [parsed.ipc.buffer]);
    });
  },
  xlsx(file: string, data: Blob | Uint8Array) {
    return wire(async () => {
      const sheets = await decoders.xlsx(file, data);
      return Comlink.transfer(
        sheets,
        sheets.map((s) => s.ipc.buffer),
      );
    });
  },
  /** Write an Arrow IPC stream as Parquet (exports), off the main thread. */
  async writeParquet(ipc: Uint8Array, provenanceJson?: string) {
    const pq = (await loadParquet()) as unknown as ParquetWriterModule;
    const bytes = toParquet(
      pq,
      ipc,
      provenanceJson ? { provenance: JSON.parse(provenanceJson) } : {},
    );
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  parquet(
    file: string,
    data: Blob | Uint8Array,
    onBatch: (ipc: Uint8Array, done: number, total: number) => Promise<void>,
  ) {
    return wire(() =>
      decoders.parquet(file, data, (ipc, done, total) =>
        onBatch(Comlink.transfer(ipc, [ipc.buffer]), done, total),
      ),
    );
  },
};

export type IngestWorkerApi = typeof api;
Comlink.expose(api);
