import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { kpisSuite } from '../../shared/kpis-suite.ts';

kpisSuite(() => NodeEngine.create());
