import { describe, expect, it } from 'vitest';
import {
  ANALYSES,
  availableAnalyses,
  dataGaps,
  type DataAvailability,
} from '../../../src/lib/analyses/gaps.ts';
import { ROLES, type CanonicalTable } from '../../../src/lib/schema/canonical.ts';

const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

describe('dataGaps', () => {
  it('orders with only the required roles', () => {
    const gaps = dataGaps({ tables: { orders: [] } });
    // Needs no optional role: cohorts, revenue/LTV, KPIs, RFM, lapsed, churn rate
    // (by inactivity), churn prediction, survival, BTYD, scenario forecast.
    expect(ids(gaps)).toEqual(
      [
        'churn_label', // info: churn by inactivity
        'cohort_by_region', // no customers.region
        'cohort_by_source', // no acquisition_source, no channel
        'feedback_antecedents', // no feedback
        'first_second_purchase', // no product / category
        'journeys', // no events
        'logo_churn', // no subscriptions
        'next_product',
        'nps',
        'plan_changes',
        'product_buyers',
        'programme_lift', // no programme
        'replenishment',
        'revenue_churn',
        'value_seekers', // no discount_code
      ].sort(),
    );
    const label = gaps.find((g) => g.id === 'churn_label');
    expect(label?.severity).toBe('info');
    expect(label?.because).toMatch(/inactivity/);
    for (const g of gaps) {
      expect(g.analysis).not.toBe('');
      expect(g.missing).not.toBe('');
      expect(g.because).toMatch(/\.$/);
    }
  });

  it('orders plus customers with an acquisition source close the by-source gap', () => {
    const gaps = ids(dataGaps({ tables: { orders: [], customers: ['acquisition_source'] } }));
    expect(gaps).not.toContain('cohort_by_source');
    // Still no churn label: churn stays defined by inactivity.
    expect(gaps).toContain('churn_label');
    expect(gaps).toContain('nps');
    expect(gaps).toContain('logo_churn');
  });

  it('a channel on orders also enables value by source (roles as a Set)', () => {
    const gaps = ids(dataGaps({ tables: { orders: new Set(['channel']) } }));
    expect(gaps).not.toContain('cohort_by_source');
  });

  it('a churn label removes the inactivity note', () => {
    const gaps = ids(dataGaps({ tables: { orders: [], customers: ['churned'] } }));
    expect(gaps).not.toContain('churn_label');
  });

  it('everything mapped leaves no gaps', () => {
    const all: DataAvailability = {
      tables: Object.fromEntries(
        (Object.keys(ROLES) as CanonicalTable[]).map((t) => [t, ROLES[t].map((r) => r.column)]),
      ),
    };
    expect(dataGaps(all)).toEqual([]);
    expect(ids(availableAnalyses(all))).toEqual(ids([...ANALYSES]));
  });

  it('a customers-only export (churn label and tenure) cannot do purchase analyses', () => {
    const gaps = dataGaps({ tables: { customers: ['churned', 'tenure_months'] } });
    const byId = Object.fromEntries(gaps.map((g) => [g.id, g]));
    expect(byId.cohort_retention?.severity).toBe('problem');
    expect(byId.rfm?.severity).toBe('problem');
    expect(byId.btyd?.severity).toBe('problem');
    // Churn is labelled, and tenure + label gives survival.
    expect(byId.churn_prediction).toBeUndefined();
    expect(byId.survival).toBeUndefined();
    // The inactivity note is for shops with orders only.
    expect(byId.churn_label).toBeUndefined();
  });

  it('nothing loaded: every analysis is a gap except the inactivity note', () => {
    expect(dataGaps({ tables: {} }).length).toBe(ANALYSES.length - 1);
    expect(availableAnalyses({ tables: {} })).toEqual([]);
  });

  it('available and missing analyses partition the catalogue', () => {
    const data: DataAvailability = { tables: { orders: ['product'], feedback: [] } };
    const available = ids(availableAnalyses(data));
    const missing = ids(dataGaps(data));
    expect(available.filter((id) => missing.includes(id))).toEqual([]);
    expect([...available, ...missing].sort()).toEqual(ids([...ANALYSES]));
    expect(available).toEqual(
      expect.arrayContaining(['nps', 'feedback_antecedents', 'replenishment']),
    );
  });
});
