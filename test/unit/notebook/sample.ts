import type { Mapping } from '../../../src/lib/schema/mapping.ts';
import type { Notebook } from '../../../src/lib/notebook/types.ts';

/** A small notebook with fixed ids, covering every cell kind, for tests to read and change. */
export function sampleNotebook(): Notebook {
  return {
    version: 1,
    id: 'nb-1',
    title: 'Repeat purchase',
    cells: [
      { id: 'md', kind: 'markdown', text: '# Repeat purchase' },
      {
        id: 'first',
        kind: 'sql',
        name: 'first_orders',
        sql: 'SELECT customer_id, min(order_ts) AS first_ts FROM orders WHERE order_ts >= $start::DATE GROUP BY 1',
      },
      {
        id: 'repeat',
        kind: 'sql',
        name: 'repeaters',
        sql: 'SELECT count(*) AS n FROM first_orders f JOIN orders o USING (customer_id) WHERE o.amount > $min_amount',
      },
      { id: 'chart', kind: 'chart', source: 'repeaters', mark: 'bar', y: 'n', collapsed: true },
      {
        id: 'kpis',
        kind: 'analysis',
        analysis: 'kpis',
        params: { period: 'month', range: { from: { $param: 'start' } } },
      },
    ],
    parameters: [
      { name: 'start', type: 'date', value: '2024-01-01', label: 'From' },
      { name: 'min_amount', type: 'number', value: 10 },
      { name: 'region', type: 'choice', value: null, options: ['North', 'South'] },
    ],
    createdAt: '2024-05-01T09:00:00.000Z',
    updatedAt: '2024-05-01T09:00:00.000Z',
  };
}

/** A mapping of one orders table, as the mapping screen would save it. */
export function sampleMapping(): Mapping {
  return {
    version: 1,
    tables: [
      {
        source: 'raw_orders',
        kind: 'orders',
        columns: { customer_id: 'Customer ID', order_ts: 'InvoiceDate', amount: 'Total' },
        parse: { order_ts: { date: '%d/%m/%Y %H:%M', utc: false }, amount: { decimal: ',' } },
        amount: 'column',
        cancellation: {
          kind: 'any',
          rules: [
            { kind: 'prefix', column: 'Invoice', prefix: 'C' },
            { kind: 'values', column: 'Status', values: ['refunded'] },
          ],
        },
        include: { cancelled: false, nonPositive: false, duplicates: false },
        attributes: [],
      },
    ],
    currency: 'GBP',
    timeZone: 'Europe/London',
  };
}
