import { Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { numberVector, utf8Vector } from '../../src/lib/engine/arrow-columns.ts';
import { NodeEngine } from '../../src/lib/engine/node.ts';
import { toRows } from '../../src/lib/engine/rows.ts';

/** Run `work` with the global Function constructor refusing, as the page's CSP does. */
function withoutFunctionConstructor<T>(work: () => T): T {
  const original = globalThis.Function;
  globalThis.Function = function refused() {
    throw new EvalError('Function() is refused here, as under a CSP without unsafe-eval');
  } as unknown as FunctionConstructor;
  try {
    return work();
  } finally {
    globalThis.Function = original;
  }
}

describe('Arrow columns from buffers', () => {
  const values = ['a', null, 'Zürich – 東京', '', 'x'.repeat(1000)];

  it('round-trips text with nulls, empty strings and multi-byte characters through IPC', () => {
    const table = new Table({
      s: utf8Vector(values),
      n: numberVector(Float64Array.of(1, 2, 3, 4, 5)),
    });
    const back = tableFromIPC(tableToIPC(table, 'stream'));
    expect(back.getChild('s')!.toArray()).toEqual(values);
    expect(back.getChild('s')!.nullCount).toBe(1);
    expect(Array.from(back.getChild('n')!.toArray())).toEqual([1, 2, 3, 4, 5]);
  });

  it('needs no Function constructor, unlike Arrow’s builders (which the CSP would block)', () => {
    expect(() => withoutFunctionConstructor(() => vectorFromArray(['a'], new Utf8()))).toThrow(
      EvalError,
    );
    const v = withoutFunctionConstructor(() => utf8Vector(['a', null]));
    expect(v.toArray()).toEqual(['a', null]);
  });

  it('DuckDB reads the columns back as written', async () => {
    const engine = await NodeEngine.create();
    try {
      const table = new Table({
        s: utf8Vector(values),
        i: numberVector(Int32Array.of(5, 4, 3, 2, 1)),
      });
      await engine.insertArrow('t', tableToIPC(table, 'stream'), { create: true });
      const rows = toRows(
        await engine.query(
          'SELECT s, i::DOUBLE AS i, length(s)::DOUBLE AS len FROM t ORDER BY i DESC',
        ),
      );
      expect(rows.map((r) => r.s)).toEqual(values);
      expect(rows.map((r) => r.len)).toEqual([1, null, 11, 0, 1000]); // 'Zürich – 東京' is 11 characters;
    } finally {
      await engine.close();
    }
  });
});
