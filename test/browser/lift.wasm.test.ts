import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { forecastSuite } from '../shared/forecast-suite.ts';
import { liftSuite } from '../shared/lift-suite.ts';

/** Programme lift and the scenario forecast on DuckDB-WASM in Chromium (the same suites run on native DuckDB in test/unit). */
async function fixture(name: string) {
  const response = await fetch(new URL(`../fixtures/programme/${name}`, import.meta.url));
  if (!response.ok) throw new Error(`Cannot fetch the fixture ${name}: ${response.status}`);
  return fromBlob(await response.blob(), name);
}

liftSuite({
  engine: () => WasmEngine.create(),
  decoders: () => new WorkerDecoders(),
  fixture,
});
forecastSuite(() => WasmEngine.create());
