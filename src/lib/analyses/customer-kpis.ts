/**
 * The headline figures of a customers table on its own (no orders): how many
 * customers, how many have left by the churn label, the churn rate, tenure and
 * recurring revenue, and churn by plan. This is what a first look at a churn
 * export such as IBM's Telco file can say before any orders are loaded.
 */
import type { SqlEngine } from '../engine/types.ts';
import { num, numOrNull, queryRows } from './kpis-sql.ts';

export interface PlanChurn {
  /** The plan or contract; "(unknown)" for customers without one. */
  plan: string;
  customers: number;
  churned: number;
  /** churned ÷ customers with a churn label × 100; null when none has a label. */
  churnRate: number | null;
}

export interface CustomerKpis {
  customers: number;
  /** Customers whose churn label is set (true or false). */
  labelled: number;
  churned: number;
  /** churned ÷ labelled × 100 (DOMAIN.md's churn rate over a snapshot); null without a label. */
  churnRate: number | null;
  medianTenureMonths: number | null;
  meanRecurringRevenue: number | null;
  /** Churn per plan, largest plan first; empty when no plan is mapped. */
  byPlan: PlanChurn[];
}

const rate = (churned: number, labelled: number) =>
  labelled > 0 ? (churned / labelled) * 100 : null;

/** The figures over the canonical `customers` view (which must exist). */
export async function customerKpis(engine: SqlEngine): Promise<CustomerKpis> {
  const [row] = await queryRows(
    engine,
    `SELECT count(*)::DOUBLE AS customers,
            count(churned)::DOUBLE AS labelled,
            count(*) FILTER (WHERE churned)::DOUBLE AS churned,
            median(tenure_months)::DOUBLE AS median_tenure,
            avg(recurring_revenue)::DOUBLE AS mean_recurring,
            count(plan)::DOUBLE AS with_plan
     FROM customers`,
  );
  const labelled = num(row.labelled);
  const churned = num(row.churned);
  const byPlan =
    num(row.with_plan) === 0
      ? []
      : (
          await queryRows(
            engine,
            `SELECT coalesce(nullif(trim(plan::VARCHAR), ''), '(unknown)') AS plan,
                    count(*)::DOUBLE AS customers,
                    count(churned)::DOUBLE AS labelled,
                    count(*) FILTER (WHERE churned)::DOUBLE AS churned
             FROM customers GROUP BY ALL ORDER BY customers DESC, plan`,
          )
        ).map((r) => ({
          plan: String(r.plan),
          customers: num(r.customers),
          churned: num(r.churned),
          churnRate: rate(num(r.churned), num(r.labelled)),
        }));
  return {
    customers: num(row.customers),
    labelled,
    churned,
    churnRate: rate(churned, labelled),
    medianTenureMonths: numOrNull(row.median_tenure),
    meanRecurringRevenue: numOrNull(row.mean_recurring),
    byPlan,
  };
}
