import type { Mapping } from '../schema/mapping.ts';
import { addCell, addParameter, createCell, createNotebook } from './document.ts';
import type { Notebook } from './types.ts';

/**
 * The "Retention overview" notebook created when data is first mapped: the KPI
 * overview as an analysis cell, then SQL over the canonical views with a chart,
 * so a consultant sees both the built-in figures and how to write their own.
 */
export function defaultNotebook(mapping: Mapping | null): Notebook {
  const orders = mapping?.tables.find((t) => t.kind === 'orders');
  let nb = createNotebook('Retention overview');
  nb = addParameter(nb, {
    name: 'since',
    type: 'date',
    value: null,
    label: 'Orders from (empty: all)',
  });
  const cells = [
    createCell('markdown', {
      text: [
        '# Retention overview',
        '',
        'Created from your data. Every figure below is computed in this browser from the canonical views',
        '(`orders`, `customers`, …). Edit any SQL cell and press **Shift+Enter** to run it.',
      ].join('\n'),
    }),
    createCell('analysis', { analysis: 'kpis', params: { period: 'month' } }),
    createCell('analysis', { analysis: 'cohorts', params: { grain: 'month' } }),
    createCell('analysis', { analysis: 'rfm', params: {} }),
    createCell('sql', {
      name: 'monthly',
      sql: [
        "SELECT date_trunc('month', order_ts) AS month,",
        '       count(DISTINCT customer_id) AS customers,',
        '       count(DISTINCT order_id) AS orders,',
        '       sum(amount) AS revenue',
        'FROM orders',
        'WHERE $since::DATE IS NULL OR order_ts >= $since::DATE',
        'GROUP BY ALL',
        'ORDER BY month',
      ].join('\n'),
    }),
    createCell('chart', {
      source: 'monthly',
      mark: 'line',
      x: 'month',
      y: 'revenue',
      title: 'Revenue per month',
    }),
  ];
  if (orders?.columns.product) {
    cells.push(
      createCell('sql', {
        name: 'top_products',
        sql: [
          'SELECT product, count(DISTINCT customer_id) AS customers, sum(amount) AS revenue',
          'FROM orders',
          'WHERE product IS NOT NULL',
          'GROUP BY ALL',
          'ORDER BY revenue DESC',
          'LIMIT 20',
        ].join('\n'),
      }),
    );
  }
  for (const cell of cells) nb = addCell(nb, cell);
  return nb;
}
