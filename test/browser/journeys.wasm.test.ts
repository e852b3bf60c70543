import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { journeysSuite } from '../shared/journeys-suite.ts';
import { npsSuite } from '../shared/nps-suite.ts';

/** The NPS and journeys suites on DuckDB-WASM in Chromium (the same suites run on native DuckDB in test/unit). */
async function openFixture(fixture: string) {
  // The test server serves the project folder, so the fixtures are plain URLs.
  const response = await fetch(`/test/fixtures/${fixture}`);
  if (!response.ok) throw new Error(`Cannot fetch ${fixture}: ${response.status}`);
  return fromBlob(await response.blob(), fixture.split('/').pop());
}

const harness = {
  engine: () => WasmEngine.create(),
  decoders: (signal?: AbortSignal) => new WorkerDecoders(signal),
  open: openFixture,
};

npsSuite(harness);
journeysSuite(harness);
