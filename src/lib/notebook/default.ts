import type { Mapping } from '../schema/mapping.ts';
import { addCell, addParameter, createCell, createNotebook } from './document.ts';
import type { Cell, Notebook } from './types.ts';

/**
 * The "Retention overview" notebook created when data is first mapped: the KPI
 * overview as an analysis cell, then SQL over the canonical views with a chart,
 * so a consultant sees both the built-in figures and how to write their own.
 */
export function defaultNotebook(mapping: Mapping | null): Notebook {
  const orders = mapping?.tables.find((t) => t.kind === 'orders');
  const customers = mapping?.tables.find((t) => t.kind === 'customers');
  if (!orders && customers) return customerNotebook(Boolean(customers.columns.churned));
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
  cells.push(churnIntro(), createCell('analysis', { analysis: 'churn', params: {} }));
  for (const cell of cells) nb = addCell(nb, cell);
  return nb;
}

function churnIntro() {
  return createCell('markdown', {
    text: [
      '## Who is at risk',
      '',
      'Train a churn model on this data, in this browser: pick the model and press **Train model**.',
    ].join('\n'),
  });
}

/**
 * Without orders but with a customers table (e.g. a subscriber export with a churn
 * flag): churn by plan in SQL, then the churn model.
 */
function customerNotebook(hasChurn: boolean): Notebook {
  let nb = createNotebook('Customer overview');
  const cells: Cell[] = [
    createCell('markdown', {
      text: [
        '# Customer overview',
        '',
        'Created from your customers table. Edit any SQL cell and press **Shift+Enter** to run it.',
      ].join('\n'),
    }),
    createCell('sql', {
      name: 'by_plan',
      sql: hasChurn
        ? [
            "SELECT coalesce(plan, '(none)') AS plan, count(*) AS customers,",
            '       avg(CASE WHEN churned THEN 1 ELSE 0 END) AS churn_rate',
            'FROM customers',
            'GROUP BY ALL',
            'ORDER BY customers DESC',
          ].join('\n')
        : [
            "SELECT coalesce(plan, '(none)') AS plan, count(*) AS customers",
            'FROM customers',
            'GROUP BY ALL',
            'ORDER BY customers DESC',
          ].join('\n'),
    }),
    createCell('chart', {
      source: 'by_plan',
      mark: 'bar',
      x: 'plan',
      y: hasChurn ? 'churn_rate' : 'customers',
      title: hasChurn ? 'Churn rate by plan' : 'Customers by plan',
    }),
  ];
  if (hasChurn) cells.push(churnIntro(), createCell('analysis', { analysis: 'churn', params: {} }));
  for (const cell of cells) nb = addCell(nb, cell);
  return nb;
}
