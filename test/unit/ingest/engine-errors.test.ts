import { describe, expect, it } from 'vitest';
import { explainEngineError } from '../../../src/lib/ingest/errors.ts';

describe('engine errors while loading', () => {
  it('storage full: says so and how to make room', () => {
    for (const text of [
      'IO Error: QuotaExceededError: The operation failed because of quota',
      'IO Error: Could not write file "opfs://retain.duckdb": No space left on device',
    ]) {
      const e = explainEngineError('orders.csv', new Error(text));
      expect(e?.file).toBe('orders.csv');
      expect(e?.problem).toMatch(/storage for this site is full/);
      expect(e?.fix).toMatch(/Privacy page/);
    }
  });
  it('out of memory: names the file and offers smaller data or Parquet', () => {
    const e = explainEngineError(
      'huge.csv',
      new Error('Out of Memory Error: could not allocate block of size 256.0 KiB'),
    );
    expect(e?.problem).toMatch(/too large/);
    expect(e?.fix).toMatch(/Parquet/);
  });
});
