/**
 * Hashes a loaded file for its provenance stamp off the main thread: reading a large
 * File into an ArrayBuffer on the page blocked it for about half a second per 60 MB.
 * Receives a Blob (passed by reference) or bytes; answers `{ hex }` or `{ error }`.
 */
import { sha256Hex } from '../src/lib/ingest/sha256.ts';

self.onmessage = async (event: MessageEvent<Blob | Uint8Array>) => {
  try {
    self.postMessage({ hex: await sha256Hex(event.data) });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
