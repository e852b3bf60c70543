import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { engineSuite } from '../shared/engine-suite.ts';

engineSuite('DuckDB-WASM (Chromium)', () => WasmEngine.create());
