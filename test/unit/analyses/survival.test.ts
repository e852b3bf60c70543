import { join } from 'node:path';
import { inject } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { datasets } from '../../support/data.ts';
import { survivalSuite } from '../../shared/survival-suite.ts';

survivalSuite({
  engine: () => NodeEngine.create(),
  decoders: () => nodeDecoders,
  open: (dataset) => fromPath(join(inject('sharedData'), datasets[dataset])),
});
