import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { auditProposalsSuite } from '../unit/audit/proposals-suite.ts';

/** The audit's proposals on DuckDB-WASM in Chromium; the same suite runs on native DuckDB in test/unit/audit. */
auditProposalsSuite(() => WasmEngine.create());
