import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { kpisSuite } from '../shared/kpis-suite.ts';
import { qualitySuite } from '../shared/quality-suite.ts';

kpisSuite(() => WasmEngine.create());
qualitySuite(() => WasmEngine.create());
