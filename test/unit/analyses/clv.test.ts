import { join } from 'node:path';
import { inject } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { datasets } from '../../support/data.ts';
import { clvSuite } from '../../shared/clv-suite.ts';

/** The customer-future-value suite on native DuckDB (the same suite runs on DuckDB-WASM in test/browser). */
clvSuite({
  engine: () => NodeEngine.create(),
  decoders: () => nodeDecoders,
  open: (dataset) => fromPath(join(inject('sharedData'), datasets[dataset])),
});
