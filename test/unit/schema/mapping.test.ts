import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { toRows } from '../../../src/lib/engine/rows.ts';
import { loadFile } from '../../../src/lib/ingest/load.ts';
import { fromBytes } from '../../../src/lib/ingest/input.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { modelSuite } from '../../shared/model-suite.ts';
import type { Mapping, TableMapping } from '../../../src/lib/schema/mapping.ts';
import { validateMapping } from '../../../src/lib/schema/validate.ts';
import { applyMapping, exclusionCounts } from '../../../src/lib/schema/views.ts';
import { datasets } from '../../support/data.ts';

modelSuite('native DuckDB (Node)', {
  engine: () => NodeEngine.create(),
  decoders: () => nodeDecoders,
  open: (dataset) => fromPath(join(inject('sharedData'), datasets[dataset])),
});

let engine: NodeEngine;
beforeAll(async () => {
  engine = await NodeEngine.create();
});
afterAll(async () => engine.close());

const mappingOf = (...tables: TableMapping[]): Mapping => ({
  version: 1,
  tables,
  currency: 'GBP',
  timeZone: 'UTC',
});

describe('a mapping that cannot work is refused with the column, the count and examples', () => {
  it('text mapped as the amount, dates that do not parse, an empty ID column', async () => {
    const csv =
      'who,when,what,blank\nA,2024-01-05,ten,\nB,05/13/2024,twenty,\nC,2024-02-30,thirty,\n';
    const [t] = (
      await loadFile(engine, nodeDecoders, fromBytes('broken.csv', new TextEncoder().encode(csv)))
    ).tables;
    const bad: TableMapping = {
      source: t.name,
      kind: 'orders',
      columns: { customer_id: 'blank', order_ts: 'when', amount: 'what' },
      parse: {},
      amount: 'column',
      include: { cancelled: false, nonPositive: false, duplicates: true },
      attributes: [],
    };
    const problems = await validateMapping(engine, mappingOf(bad));
    const byRole = Object.fromEntries(problems.map((p) => [p.role, p]));
    expect(byRole.customer_id).toMatchObject({ fatal: true, column: 'blank' });
    expect(byRole.customer_id.problem).toMatch(/empty in all 3 rows/);
    expect(byRole.amount).toMatchObject({ fatal: true, failing: 3, present: 3 });
    expect(byRole.amount.examples).toEqual([
      { row: 1, value: 'ten' },
      { row: 2, value: 'twenty' },
      { row: 3, value: 'thirty' },
    ]);
    // Two of three dates fail (US order and 30 February): most fail, so it is refused.
    expect(byRole.order_ts).toMatchObject({ fatal: true, failing: 2, present: 3 });
    expect(byRole.order_ts.examples.map((e) => e.value)).toEqual(['05/13/2024', '2024-02-30']);
  });

  it('a few unreadable values are not fatal: those rows are excluded and counted', async () => {
    const csv =
      'customer,date,total\nA,2024-01-05,"£1,200.50"\nA,2024-01-06,"(30.00)"\nB,not a date,5\nB,2024-03-01,abc\n';
    const [t] = (
      await loadFile(engine, nodeDecoders, fromBytes('mostly.csv', new TextEncoder().encode(csv)))
    ).tables;
    const tm: TableMapping = {
      source: t.name,
      kind: 'orders',
      columns: { customer_id: 'customer', order_ts: 'date', amount: 'total' },
      parse: {},
      amount: 'column',
      include: { cancelled: false, nonPositive: false, duplicates: true },
      attributes: [],
    };
    const problems = await validateMapping(engine, mappingOf(tm));
    expect(problems.every((p) => !p.fatal)).toBe(true);
    const counts = await exclusionCounts(engine, tm, 'UTC');
    expect(counts.reasons).toEqual({ bad_date: 1, bad_amount: 1, non_positive: 1 });
    await applyMapping(engine, mappingOf(tm));
    expect(toRows(await engine.query('SELECT customer_id, amount FROM orders'))).toEqual([
      { customer_id: 'A', amount: 1200.5 },
    ]);
  });
});
