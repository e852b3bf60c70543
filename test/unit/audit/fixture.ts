import type { AuditDocument } from '../../../src/lib/audit/types.ts';

/** A partly answered audit, as a consultant might leave it after a first workshop. */
export function sampleAudit(): AuditDocument {
  return {
    client: 'Acme Gifts Ltd',
    answers: {
      'overall.known_issues': {
        value: 'Wholesale buyers stop ordering after the Christmas season; nobody follows up.',
        note: 'Sales director’s view; the data agrees (see month-1 retention).',
      },
      'overall.acquisition_lean': { value: 8 },
      'overall.repeat_rate': {
        value: 65.6,
        source: 'data',
        evidence: '2,845 of 4,338 customers placed two or more orders (65.6 %).',
      },
      'product.purchase_cycle': { value: 'Both' },
      'product.top_first_purchase': {
        value: 'WHITE HANGING HEART T-LIGHT HOLDER',
        source: 'data',
        evidence: '552 customers (12.7 % of first orders) started with it.',
      },
      'competition.market_position': { value: 'Niche' },
      'data.holdouts': { value: false, note: 'Never considered; marketing emails everyone.' },
      'data.nps': { unable: true, note: 'No survey has been run.' },
      'success.tickets_per_customer': { unable: true },
      'success.self_service': { value: 3 },
      'loyalty.exists': { value: false },
      'closing.goals': { value: 'Lift month-1 retention to 30 % by next Christmas.' },
    },
    findings: [
      {
        id: 'f-welcome',
        title: 'No welcome series after the first order',
        origin: 'user',
        departments: 1,
        impact: 8,
        confidence: 8,
        ease: 8,
        kpi: { name: 'Month-1 retention', value: 23.7, unit: '%' },
        holdout: true,
      },
      {
        id: 'f-loyalty',
        title: 'Launch a trade loyalty programme',
        detail: 'Tiered discounts for wholesale buyers; needs finance, sales and IT.',
        origin: 'user',
        departments: 4,
        impact: 9,
        confidence: 5,
        ease: 3,
        kpi: { name: 'Repeat purchase rate', value: 65.6, unit: '%' },
        holdout: true,
      },
      {
        id: 'f-faq',
        title: 'Answer delivery questions on the order page',
        origin: 'user',
        departments: 2,
        impact: 4,
        confidence: 7,
        ease: 6,
        holdout: false,
      },
    ],
  };
}
