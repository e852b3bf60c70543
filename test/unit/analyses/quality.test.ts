import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { qualitySuite } from '../../shared/quality-suite.ts';

qualitySuite(() => NodeEngine.create());
