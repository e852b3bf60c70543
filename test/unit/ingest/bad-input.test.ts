import { join } from 'node:path';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { badInputSuite } from '../../shared/bad-input-suite.ts';

const corpus = join(import.meta.dirname, '../../fixtures/bad-input');

badInputSuite('native DuckDB (Node)', {
  engine: () => NodeEngine.create(),
  decoders: () => nodeDecoders,
  open: (name) => fromPath(join(corpus, name)),
});
