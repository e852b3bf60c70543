import { join } from 'node:path';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { npsSuite } from '../../shared/nps-suite.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');

npsSuite({
  engine: () => NodeEngine.create(),
  decoders: () => nodeDecoders,
  open: (fixture) => fromPath(join(fixtures, fixture)),
});
