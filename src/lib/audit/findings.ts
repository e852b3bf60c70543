/**
 * Findings the data raises on its own, each with the baseline KPI to measure a fix
 * against. Pure: it reads the {@link AuditMetrics} that proposals.ts measured.
 *
 * The thresholds are our defaults, stated here and in the finding's text so the
 * consultant can judge them; they are parameters, not constants of nature:
 * - month-1 retention below 25 % (a quarter of new customers back the next month);
 * - one-time buyers above 50 % of customers (most never order twice);
 * - RFM "At risk" + "Can't lose them" holding 5 % or more of revenue (valuable
 *   customers who have not bought for a while; segment rules in rfm-rules.ts);
 * - NPS below 0 (more detractors than promoters);
 * - returns above 5 % of order lines.
 * M.I.C.E. scores are starting suggestions the consultant is expected to edit.
 */
import type { AuditMetrics } from './proposals.ts';
import type { AuditFinding } from './types.ts';

export interface FindingThresholds {
  /** %, a finding below it. */
  month1Retention: number;
  /** %, a finding above it. */
  oneTimeShare: number;
  /** % of revenue in the at-risk segments, a finding at or above it. */
  atRiskRevenueShare: number;
  /** A finding below it. */
  nps: number;
  /** %, a finding above it. */
  returnsRatio: number;
}

export const DEFAULT_THRESHOLDS: FindingThresholds = {
  month1Retention: 25,
  oneTimeShare: 50,
  atRiskRevenueShare: 5,
  nps: 0,
  returnsRatio: 5,
};

const pct = (x: number) => `${x.toLocaleString('en', { maximumFractionDigits: 1 })} %`;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** The findings `metrics` support under `thresholds`, in a fixed order, with stable ids. */
export function dataFindings(
  metrics: AuditMetrics,
  thresholds: FindingThresholds = DEFAULT_THRESHOLDS,
): AuditFinding[] {
  const out: AuditFinding[] = [];
  const m1 = metrics.month1Retention;
  if (m1 !== null && m1 < thresholds.month1Retention) {
    out.push({
      id: 'data-month1-retention',
      title: 'Few new customers come back in their second month',
      detail: `Month-1 retention is ${pct(m1)}, below the ${pct(thresholds.month1Retention)} this audit treats as healthy. A welcome series built on the top first and second purchases is the usual first fix.`,
      origin: 'data',
      departments: 2,
      impact: 8,
      confidence: 7,
      ease: 7,
      kpi: { name: 'Month-1 retention', value: r1(m1), unit: '%' },
      holdout: true,
    });
  }
  const once = metrics.oneTimeShare;
  if (once !== null && once > thresholds.oneTimeShare) {
    out.push({
      id: 'data-one-time-buyers',
      title: 'Most customers buy only once',
      detail: `${pct(once)} of customers have a single order (above ${pct(thresholds.oneTimeShare)}). The second order is where retention is won or lost.`,
      origin: 'data',
      departments: 3,
      impact: 9,
      confidence: 6,
      ease: 5,
      kpi: { name: 'Share of one-time buyers', value: r1(once), unit: '%' },
      holdout: true,
    });
  }
  const risk = metrics.atRisk;
  if (risk && risk.customers > 0 && risk.revenueShare >= thresholds.atRiskRevenueShare) {
    out.push({
      id: 'data-valuable-at-risk',
      title: 'Valuable customers are slipping away',
      detail: `${risk.customers.toLocaleString('en')} customers in the RFM segments “At risk” and “Can’t lose them” brought ${pct(risk.revenueShare)} of revenue but have not ordered for a while. A personal win-back for them is quick to run.`,
      origin: 'data',
      departments: 1,
      impact: 8,
      confidence: 8,
      ease: 8,
      kpi: { name: 'Revenue share of at-risk segments', value: r1(risk.revenueShare), unit: '%' },
      holdout: false,
    });
  }
  if (metrics.nps !== null && metrics.nps < thresholds.nps) {
    out.push({
      id: 'data-negative-nps',
      title: 'More detractors than promoters',
      detail: `The Net Promoter Score is ${r1(metrics.nps)}. Following up every detractor within days is the first step.`,
      origin: 'data',
      departments: 3,
      impact: 8,
      confidence: 5,
      ease: 4,
      kpi: { name: 'NPS', value: r1(metrics.nps) },
      holdout: false,
    });
  }
  if (metrics.returnsRatio !== null && metrics.returnsRatio > thresholds.returnsRatio) {
    out.push({
      id: 'data-returns',
      title: 'Many orders are cancelled or returned',
      detail: `${pct(metrics.returnsRatio)} of order lines are cancelled or returned (above ${pct(thresholds.returnsRatio)}). Reasons for returns point at product descriptions, sizing or delivery.`,
      origin: 'data',
      departments: 3,
      impact: 6,
      confidence: 6,
      ease: 5,
      kpi: { name: 'Returns ratio', value: r1(metrics.returnsRatio), unit: '%' },
      holdout: false,
    });
  }
  return out;
}
