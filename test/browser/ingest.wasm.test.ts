import { inject } from 'vitest';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { datasets } from '../support/data.ts';
import { ingestSuite } from '../shared/ingest-suite.ts';

ingestSuite('DuckDB-WASM and the ingest worker (Chromium)', {
  engine: () => WasmEngine.create(),
  decoders: (signal) => new WorkerDecoders(signal),
  async open(dataset) {
    const path = datasets[dataset];
    const response = await fetch(`/@fs${inject('sharedData')}/${path}`);
    if (!response.ok) throw new Error(`Cannot fetch ${path}: ${response.status}`);
    return fromBlob(await response.blob(), path.split('/').pop());
  },
});
