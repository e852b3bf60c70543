import { NodeEngine } from '../../src/lib/engine/node.ts';
import { engineSuite } from '../shared/engine-suite.ts';

engineSuite('native DuckDB (Node)', () => NodeEngine.create());
