import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { auditProposalsSuite } from './proposals-suite.ts';

auditProposalsSuite(() => NodeEngine.create());
