/**
 * The data engine's worker: DuckDB-WASM's own `eh` worker, behind a guard that keeps
 * its requests on the app's origin (see src/lib/engine/network-guard.ts). DuckDB's
 * worker only answers messages, so the guard is in place before its first request.
 */
import '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js';
import { guardNetwork } from '../src/lib/engine/network-guard.ts';

guardNetwork(self, self.location.origin);
