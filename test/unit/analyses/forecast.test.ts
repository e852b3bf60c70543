import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { forecastSuite } from '../../shared/forecast-suite.ts';

forecastSuite(() => NodeEngine.create());
