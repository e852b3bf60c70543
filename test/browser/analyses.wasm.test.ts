import { inject } from 'vitest';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { datasets, type Dataset } from '../support/data.ts';
import { cohortsSuite } from '../shared/cohorts-suite.ts';
import { kpisSuite } from '../shared/kpis-suite.ts';
import { purchasesSuite } from '../shared/purchases-suite.ts';
import { qualitySuite } from '../shared/quality-suite.ts';
import { rfmSuite } from '../shared/rfm-suite.ts';

/** The analyses' suites, run on DuckDB-WASM in Chromium (the same suites run on native DuckDB in test/unit). */
async function openDataset(dataset: Dataset) {
  const path = datasets[dataset];
  const response = await fetch(`/@fs${inject('sharedData')}/${path}`);
  if (!response.ok) throw new Error(`Cannot fetch ${path}: ${response.status}`);
  return fromBlob(await response.blob(), path.split('/').pop());
}

const harness = {
  engine: () => WasmEngine.create(),
  decoders: (signal?: AbortSignal) => new WorkerDecoders(signal),
  open: openDataset,
};

kpisSuite(() => WasmEngine.create());
qualitySuite(() => WasmEngine.create());
rfmSuite(harness);
cohortsSuite(harness);
purchasesSuite(harness);
