import { inject } from 'vitest';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { datasets, type Dataset } from '../support/data.ts';
import { modelSuite } from '../shared/model-suite.ts';
import { ingestSuite } from '../shared/ingest-suite.ts';

async function openDataset(dataset: Dataset) {
  const path = datasets[dataset];
  const response = await fetch(`/@fs${inject('sharedData')}/${path}`);
  if (!response.ok) throw new Error(`Cannot fetch ${path}: ${response.status}`);
  return fromBlob(await response.blob(), path.split('/').pop());
}

ingestSuite('DuckDB-WASM and the ingest worker (Chromium)', {
  engine: () => WasmEngine.create(),
  decoders: (signal) => new WorkerDecoders(signal),
  open: openDataset,
});

modelSuite('DuckDB-WASM (Chromium)', {
  engine: () => WasmEngine.create(),
  decoders: (signal) => new WorkerDecoders(signal),
  open: openDataset,
});
