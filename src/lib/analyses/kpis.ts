/**
 * Retention KPIs over the canonical views (DOMAIN.md, "Metrics"): the inactivity
 * window that defines churn where nobody cancels, a whole-data summary (AOV,
 * purchase frequency, repeat purchase rate, time between purchases, time to second
 * purchase, CLTV, NPS, subscription KPIs) and, in kpis-periods.ts, the same per
 * calendar period. Every statement is built by an exported `…Sql` function and
 * returned with the result, so the app can show and edit the SQL it ran.
 */
export type { DateRange } from './kpis-sql.ts';
export {
  DAYS_PER_YEAR,
  kpiSummary,
  kpiSummarySql,
  npsSql,
  type KpiSummary,
  type Nps,
  type SummaryParams,
} from './kpis-summary.ts';
export {
  FALLBACK_WINDOW_DAYS,
  suggestWindow,
  suggestWindowSql,
  WINDOW_PERCENTILE,
  type WindowSuggestion,
} from './kpis-window.ts';
export {
  kpisByPeriod,
  kpisByPeriodSql,
  periodsCtes,
  subscriptionsByPeriodSql,
  type KpisByPeriod,
  type Period,
  type PeriodKpis,
  type PeriodParams,
} from './kpis-periods.ts';
export {
  subscriptionSpansSql,
  subscriptionSummarySql,
  type SubscriptionKpis,
} from './kpis-subscriptions.ts';
export { relationsSql } from './kpis-sql.ts';
