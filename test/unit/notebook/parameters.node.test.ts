import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { toRows } from '../../../src/lib/engine/rows.ts';
import { bindParameters } from '../../../src/lib/notebook/parameters.ts';
import type { Parameter } from '../../../src/lib/notebook/types.ts';

// The bound SQL and values run as they are in real DuckDB, as the notebook will run them.
describe('bindParameters in native DuckDB', () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await NodeEngine.create();
  });
  afterAll(() => engine?.close());

  it('binds dates (cast in SQL), numbers, hostile text and NULL', async () => {
    const parameters: Parameter[] = [
      { name: 'start', type: 'date', value: '2024-02-29' },
      { name: 'n', type: 'number', value: 2.5 },
      { name: 'who', type: 'text', value: "x'); DROP TABLE t; --" },
      { name: 'none', type: 'choice', value: null },
    ];
    const bound = bindParameters(
      "SELECT $start::DATE + 1 AS next_day, $n * 2 AS twice, $who AS who, $none IS NULL AS empty, '$n' AS kept",
      parameters,
    );
    const rows = toRows(await engine.query(bound.sql, { params: bound.values }));
    expect(rows).toEqual([
      {
        next_day: new Date('2024-03-01T00:00:00Z'),
        twice: 5,
        who: "x'); DROP TABLE t; --",
        empty: true,
        kept: '$n',
      },
    ]);
  });
});
