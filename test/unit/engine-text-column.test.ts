import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { column, textColumn } from '../../src/lib/engine/rows.ts';

/** A table of several record batches (chunks), as a query result often is. */
function chunked(...batches: (string | null)[][]) {
  return new arrow.Table(
    batches.map(
      (values) =>
        new arrow.Table({ t: arrow.vectorFromArray(values, new arrow.Utf8()) }).batches[0],
    ),
  );
}

describe('textColumn', () => {
  it('gives every value of every chunk, NULL as the missing text', () => {
    const table = chunked(['C001', 'C002', null], ['web', '', 'C010']);
    expect(textColumn(table, 't')).toEqual(['C001', 'C002', 'null', 'web', '', 'C010']);
    expect(textColumn(table, 't', '(unknown)')[2]).toBe('(unknown)');
  });

  it('decodes text beyond ASCII value by value', () => {
    const values = ['Zoë', 'ascii', '北京', '🙂 ok', null, 'é'];
    const table = chunked(values.slice(0, 3), values.slice(3));
    expect(textColumn(table, 't')).toEqual(values.map((v) => v ?? 'null'));
  });

  it('reads a sliced chunk from its own offsets', () => {
    const whole = chunked(['a1', 'b22', 'c333', 'd4444']);
    const table = whole.slice(1, 3);
    expect(textColumn(table, 't')).toEqual(['b22', 'c333']);
  });

  it('gives the same strings as column() on a large result, and other types as text', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `K${i * 7}`);
    const table = chunked(ids.slice(0, 20_000), ids.slice(20_000));
    expect(textColumn(table, 't')).toEqual(column(table, 't').map(String));
    const numbers = new arrow.Table({ n: arrow.vectorFromArray([1, 2.5, null]) });
    expect(textColumn(numbers, 'n')).toEqual(['1', '2.5', 'null']);
    expect(() => textColumn(table, 'missing')).toThrow(/No column missing/);
  });
});
