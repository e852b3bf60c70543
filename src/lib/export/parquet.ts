import type { Provenance } from './provenance.ts';

/** parquet-wasm objects living in wasm memory. */
interface WasmTable {
  free(): void;
}
interface WasmWriterProperties {
  free(): void;
}

interface WriterPropertiesBuilder {
  setCompression(value: number): WriterPropertiesBuilder;
  setCreatedBy(value: string): WriterPropertiesBuilder;
  setKeyValueMetadata(value: Map<string, string>): WriterPropertiesBuilder;
  build(): WasmWriterProperties;
}

/** The part of parquet-wasm used for writing; the browser (after init) and Node builds both provide it. */
export interface ParquetWriterModule {
  Table: { fromIPCStream(buf: Uint8Array): WasmTable };
  WriterPropertiesBuilder: new () => WriterPropertiesBuilder;
  writeParquet(table: WasmTable, properties?: WasmWriterProperties | null): Uint8Array;
}

export type ParquetCompression = 'snappy' | 'zstd' | 'uncompressed';

/** parquet-wasm's `Compression` enum values. */
const COMPRESSION: Record<ParquetCompression, number> = { uncompressed: 0, snappy: 1, zstd: 5 };

/** The Parquet key-value metadata key holding the provenance stamp as JSON. */
export const PROVENANCE_KEY = 'retain.provenance';

export interface ParquetOptions {
  /** Snappy (default) is the codec every Parquet reader supports. */
  compression?: ParquetCompression;
  /** Stored as JSON under {@link PROVENANCE_KEY}; also sets the file's "created by". */
  provenance?: Provenance;
  /** Further key-value metadata. */
  metadata?: Record<string, string>;
}

/**
 * An Arrow IPC stream (e.g. an engine result passed through `tableToIPC(t, 'stream')`)
 * as Parquet bytes, written by parquet-wasm. Types carry over as Arrow maps them
 * (Int32 → INT32, Utf8 → STRING, Timestamp → TIMESTAMP, …); nulls are kept.
 */
export function toParquet(
  pq: ParquetWriterModule,
  ipcStream: Uint8Array,
  options: ParquetOptions = {},
): Uint8Array {
  const metadata = new Map(Object.entries(options.metadata ?? {}));
  // Each builder method consumes the builder (Rust `self`) and returns the next one.
  let builder = new pq.WriterPropertiesBuilder().setCompression(
    COMPRESSION[options.compression ?? 'snappy'],
  );
  if (options.provenance) {
    const { app } = options.provenance;
    metadata.set(PROVENANCE_KEY, JSON.stringify(options.provenance));
    builder = builder.setCreatedBy(`${app.name} ${app.version}`);
  }
  if (metadata.size > 0) builder = builder.setKeyValueMetadata(metadata);
  // writeParquet takes ownership of (and frees) both the table and the properties.
  return pq.writeParquet(pq.Table.fromIPCStream(ipcStream), builder.build());
}
