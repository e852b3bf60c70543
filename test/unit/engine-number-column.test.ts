import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeEngine } from '../../src/lib/engine/node.ts';
import { numberColumn } from '../../src/lib/engine/rows.ts';

describe('numberColumn', () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await NodeEngine.create();
  });
  afterAll(() => engine.close());

  it('reads DOUBLE, INTEGER, BIGINT and DECIMAL columns as numbers, NULL as the missing value', async () => {
    const table = await engine.query(`SELECT * FROM (VALUES
      (1.5::DOUBLE, 2::INTEGER, 3::BIGINT, 4.25::DECIMAL(6, 2), 7::INTEGER),
      (-0.5::DOUBLE, -1::INTEGER, 9007199254740991::BIGINT, 0.01::DECIMAL(6, 2), NULL)
    ) t(d, i, b, m, n)`);
    expect(Array.from(numberColumn(table, 'd'))).toEqual([1.5, -0.5]);
    expect(Array.from(numberColumn(table, 'i'))).toEqual([2, -1]);
    expect(Array.from(numberColumn(table, 'b'))).toEqual([3, 9007199254740991]);
    expect(Array.from(numberColumn(table, 'm'))).toEqual([4.25, 0.01]);
    expect(Array.from(numberColumn(table, 'n'))).toEqual([7, NaN]);
    expect(Array.from(numberColumn(table, 'n', 0))).toEqual([7, 0]);
    expect(() => numberColumn(table, 'nope')).toThrow(/No column nope/);
  });
});
