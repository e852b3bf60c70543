import { inject } from 'vitest';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { datasets, type Dataset } from '../support/data.ts';
import { survivalSuite } from '../shared/survival-suite.ts';

/** The survival suite on DuckDB-WASM in Chromium (the same suite runs on native DuckDB in test/unit). */
async function openDataset(dataset: Dataset) {
  const path = datasets[dataset];
  const response = await fetch(`/@fs${inject('sharedData')}/${path}`);
  if (!response.ok) throw new Error(`Cannot fetch ${path}: ${response.status}`);
  return fromBlob(await response.blob(), path.split('/').pop());
}

survivalSuite({
  engine: () => WasmEngine.create(),
  decoders: (signal?: AbortSignal) => new WorkerDecoders(signal),
  open: openDataset,
});
