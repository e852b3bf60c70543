import { expect, it } from 'vitest';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import { IngestError } from '../../src/lib/ingest/errors.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';

/** A CSV of `rows` orders with long text, so it needs far more memory than a small limit. */
function bigCsv(rows: number): Blob {
  const lines = ['customer_id,order_date,amount,note'];
  const note = 'x'.repeat(200);
  for (let i = 0; i < rows; i++)
    lines.push(`c${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i % 97},${note}${i}`);
  return new Blob([lines.join('\n')], { type: 'text/csv' });
}

it('a file too large for the engine’s memory gets a clear message, and the session stays usable', async () => {
  const engine = await WasmEngine.create();
  const decoders = new WorkerDecoders();
  try {
    await engine.exec('CREATE TABLE kept AS SELECT range AS n FROM range(1000)');
    // Out of memory is forced with a low limit: the real limit in a tab is about 3 GiB.
    await engine.exec("SET memory_limit = '8MB'");
    const error = await loadFile(engine, decoders, fromBlob(bigCsv(300_000), 'huge.csv')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).problem).toMatch(/too large to hold in this browser tab/);
    expect((error as IngestError).fix).toMatch(/Parquet|smaller extract/);
    await engine.exec("SET memory_limit = '1GB'");
    const [row] = toRows(await engine.query('SELECT count(*)::DOUBLE AS n FROM kept'));
    expect(row.n).toBe(1000);
  } finally {
    decoders.terminate();
    await engine.close();
  }
});
