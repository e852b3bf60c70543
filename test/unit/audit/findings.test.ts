import { describe, expect, it } from 'vitest';
import { dataFindings } from '../../../src/lib/audit/findings.ts';
import type { AuditMetrics } from '../../../src/lib/audit/proposals.ts';

const none: AuditMetrics = {
  customers: null,
  repeatRate: null,
  oneTimeShare: null,
  month1Retention: null,
  nps: null,
  returnsRatio: null,
  atRisk: null,
};

describe('data-driven findings', () => {
  it('raises nothing when nothing was measured', () => {
    expect(dataFindings(none)).toEqual([]);
  });

  it('raises each finding past its threshold, with its baseline KPI', () => {
    // 200 customers, 60 with a second order: repeat rate 30 %, one-time 70 % (> 50 %).
    const found = dataFindings({
      customers: 200,
      repeatRate: 30,
      oneTimeShare: 70,
      month1Retention: 12.5, // < 25
      nps: -4, // < 0
      returnsRatio: 8, // > 5
      atRisk: { customers: 25, revenueShare: 18.25 }, // ≥ 5 %
    });
    expect(found.map((f) => [f.id, f.kpi])).toEqual([
      ['data-month1-retention', { name: 'Month-1 retention', value: 12.5, unit: '%' }],
      ['data-one-time-buyers', { name: 'Share of one-time buyers', value: 70, unit: '%' }],
      [
        'data-valuable-at-risk',
        { name: 'Revenue share of at-risk segments', value: 18.3, unit: '%' },
      ],
      ['data-negative-nps', { name: 'NPS', value: -4 }],
      ['data-returns', { name: 'Returns ratio', value: 8, unit: '%' }],
    ]);
    expect(found.every((f) => f.origin === 'data')).toBe(true);
    expect(found[0].detail).toContain('12.5 %');
  });

  it('stays quiet at and on the healthy side of each threshold', () => {
    const found = dataFindings({
      ...none,
      month1Retention: 25, // not below 25
      oneTimeShare: 50, // not above 50
      nps: 0, // not below 0
      returnsRatio: 5, // not above 5
      atRisk: { customers: 10, revenueShare: 4.99 }, // below 5
    });
    expect(found).toEqual([]);
  });

  it('takes thresholds as parameters', () => {
    const found = dataFindings(
      { ...none, month1Retention: 28 },
      { month1Retention: 30, oneTimeShare: 50, atRiskRevenueShare: 5, nps: 0, returnsRatio: 5 },
    );
    expect(found.map((f) => f.id)).toEqual(['data-month1-retention']);
  });
});
