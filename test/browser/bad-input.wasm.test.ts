import { commands } from 'vitest/browser';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { badInputSuite } from '../shared/bad-input-suite.ts';

/**
 * The corpus file's exact bytes, read by the test runner: fetching it from the dev
 * server would not do, since a .gz is served with Content-Encoding and arrives unpacked.
 */
async function openFixture(name: string) {
  const base64 = await commands.readFile(`test/fixtures/bad-input/${name}`, 'base64');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return fromBlob(new Blob([bytes]), name);
}

badInputSuite('DuckDB-WASM and the ingest worker (Chromium)', {
  engine: () => WasmEngine.create(),
  decoders: () => new WorkerDecoders(),
  open: openFixture,
});
