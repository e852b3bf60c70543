import { join } from 'node:path';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { liftSuite } from '../../shared/lift-suite.ts';

liftSuite({
  engine: () => NodeEngine.create(),
  decoders: () => nodeDecoders,
  fixture: (name) => fromPath(join(import.meta.dirname, '../../fixtures/programme', name)),
});
