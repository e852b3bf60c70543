/**
 * Data gaps: which analyses the loaded data can and cannot support, and what
 * would close each gap. Pure functions over what is mapped; no engine needed.
 *
 * The catalogue follows the "Analyses" section of the domain brief
 * (docs/DOMAIN.md); the audit report lists the gaps with the data that closes them.
 */
import type { CanonicalTable } from '../schema/canonical.ts';
import type { Severity } from './quality.ts';

/**
 * What is loaded: each canonical table that exists, with the role columns mapped
 * in it. A listed table implies its required roles; optional roles count only
 * when listed (e.g. `{ tables: { orders: ['channel'], customers: new Set() } }`).
 */
export interface DataAvailability {
  tables: Partial<Record<CanonicalTable, ReadonlySet<string> | readonly string[]>>;
}

/**
 * A requirement in disjunctive form: the analysis is possible when every item of
 * at least one alternative is present. An item is a table (`orders`) or a role
 * in a table (`customers.acquisition_source`); a role implies its table.
 */
type Alternatives = readonly (readonly string[])[];

export interface AnalysisSpec {
  id: string;
  /** What the analysis is, as the app names it. */
  analysis: string;
  needs: Alternatives;
  /** The table or column that would make it possible. */
  missing: string;
  /** How much the audit loses without it. */
  severity: Severity;
  /** Why it cannot run, in one sentence for a retention consultant. */
  because: string;
}

export interface Gap {
  id: string;
  analysis: string;
  missing: string;
  severity: Severity;
  because: string;
}

const SOURCE: Alternatives = [['orders', 'customers.acquisition_source'], ['orders.channel']];
const PRODUCT: Alternatives = [['orders.product'], ['orders.category']];
/** Anything that says who left: a label, cancelled subscriptions, or purchase history (inactivity). */
const CHURN_OUTCOME = ['orders', 'subscriptions', 'customers.churned'];

/** Every analysis Retain offers and the data each one needs. */
export const ANALYSES: readonly AnalysisSpec[] = [
  {
    id: 'cohort_retention',
    analysis: 'Cohort retention (customers active by cohort and period)',
    needs: [['orders']],
    missing: 'An orders table with customer ID, order date and amount',
    severity: 'problem',
    because:
      'Cohorts are built from each customer’s first and later purchases, so without order history there is nothing to follow over time.',
  },
  {
    id: 'cohort_revenue',
    analysis: 'Revenue retention and cumulative LTV per cohort',
    needs: [['orders']],
    missing: 'An orders table with customer ID, order date and amount',
    severity: 'problem',
    because:
      'Revenue per cohort and lifetime value add up what each cohort spent, which needs the order amounts.',
  },
  {
    id: 'purchase_kpis',
    analysis:
      'Repeat purchase rate, purchase frequency, order value, time between purchases, simple CLTV',
    needs: [['orders']],
    missing: 'An orders table with customer ID, order date and amount',
    severity: 'problem',
    because:
      'These figures are counted from individual purchases, which only an orders table provides.',
  },
  {
    id: 'churn_rate',
    analysis: 'Churn and retention rate',
    needs: CHURN_OUTCOME.map((item) => [item]),
    missing: 'An orders table, a subscriptions table, or a churn label in customers',
    severity: 'problem',
    because:
      'Nothing in the loaded data says which customers have left, so churn cannot be counted.',
  },
  {
    id: 'churn_label',
    analysis: 'Churn as recorded by the business (label or cancellation)',
    needs: [['customers.churned'], ['subscriptions']],
    missing: 'A churn label in customers, or a subscriptions table with end dates',
    severity: 'info',
    because:
      'No one records leaving in this data, so churn is defined by inactivity: a customer counts as lost after no purchase within a window you choose.',
  },
  {
    id: 'rfm',
    analysis: 'RFM segmentation (recency, frequency, monetary)',
    needs: [['orders']],
    missing: 'An orders table with customer ID, order date and amount',
    severity: 'problem',
    because:
      'Recency, frequency and spend are all measured on purchases, so RFM needs order history.',
  },
  {
    id: 'lapsed',
    analysis: 'Lapsed customers segment',
    needs: [['orders']],
    missing: 'An orders table with customer ID, order date and amount',
    severity: 'warning',
    because: 'A lapsed customer is one whose purchases stopped, which only order dates can show.',
  },
  {
    id: 'value_seekers',
    analysis: 'Value seekers segment (mostly discounted purchases)',
    needs: [['orders.discount_code']],
    missing: 'A discount code column in orders',
    severity: 'warning',
    because:
      'Without knowing which orders used a discount, customers who buy mainly on promotion cannot be told apart.',
  },
  {
    id: 'product_buyers',
    analysis: 'Product-specific buyers segment (one category dominates)',
    needs: PRODUCT,
    missing: 'A category or product column in orders',
    severity: 'warning',
    because:
      'Seeing that a customer sticks to one category needs to know what each order contained.',
  },
  {
    id: 'first_second_purchase',
    analysis: 'First and second purchase (top first buys, add-ons, what leads to a second order)',
    needs: PRODUCT,
    missing: 'A product or category column in orders',
    severity: 'warning',
    because:
      'Which first purchase brings customers back can only be answered when orders say what was bought.',
  },
  {
    id: 'cohort_by_source',
    analysis: 'Lifetime and future value by acquisition source',
    needs: SOURCE,
    missing:
      'An acquisition source column in customers, or a channel / traffic source column in orders',
    severity: 'warning',
    because:
      'Comparing what customers from each source are worth needs to know where each customer came from.',
  },
  {
    id: 'cohort_by_region',
    analysis: 'Cohorts and LTV by region',
    needs: [['orders', 'customers.region']],
    missing: 'Orders plus a region or country column in customers',
    severity: 'info',
    because: 'Splitting cohorts by where customers live needs a region for each customer.',
  },
  {
    id: 'churn_prediction',
    analysis: 'Churn prediction (risk score per customer and its drivers)',
    needs: CHURN_OUTCOME.map((item) => [item]),
    missing: 'An orders table, a subscriptions table, or a churn label in customers',
    severity: 'problem',
    because:
      'A model learns from customers who did and did not leave, and the data has no way to tell them apart.',
  },
  {
    id: 'survival',
    analysis: 'Survival analysis (time until churn, Kaplan–Meier curves)',
    needs: [
      ['orders'],
      ['subscriptions'],
      ['customers.churned', 'customers.tenure_months'],
      ['customers.churned', 'customers.signup_ts'],
      ['customers.signup_ts', 'customers.churn_ts'],
    ],
    missing: 'Orders, subscriptions, or customers with a churn label and a tenure or signup date',
    severity: 'warning',
    because:
      'Time until churn needs both when each customer started and whether (or when) they left.',
  },
  {
    id: 'btyd',
    analysis: 'Customer future value (BG/NBD and Gamma-Gamma)',
    needs: [['orders']],
    missing: 'An orders table with customer ID, order date and amount',
    severity: 'problem',
    because:
      'These models forecast future purchases from each customer’s past buying pattern, which needs dated orders.',
  },
  {
    id: 'nps',
    analysis: 'Net Promoter Score',
    needs: [['feedback']],
    missing: 'A feedback table with customer ID, date and a 0–10 score',
    severity: 'warning',
    because:
      'NPS is computed from likelihood-to-recommend scores, and no survey answers are loaded.',
  },
  {
    id: 'feedback_antecedents',
    analysis: 'Feedback before churn (e.g. cancellations after negative scores)',
    needs: CHURN_OUTCOME.map((item) => ['feedback', item]),
    missing: 'A feedback table with customer ID, date and score',
    severity: 'warning',
    because:
      'Whether unhappy answers come before customers leave can only be checked with their feedback on record.',
  },
  {
    id: 'journeys',
    analysis: 'Customer journeys (most common event paths)',
    needs: [['events']],
    missing: 'An events table with customer ID, time and event name',
    severity: 'warning',
    because: 'Paths through the product are built from tracked events, and none are loaded.',
  },
  {
    id: 'programme_lift',
    analysis: 'Programme lift versus holdout (loyalty, referral, win-back)',
    needs: CHURN_OUTCOME.map((item) => ['programme', item]),
    missing: 'A programme membership table with customer ID and group (treatment or holdout)',
    severity: 'warning',
    because:
      'A programme can only be judged against a holdout group, and no membership list says who was in which group.',
  },
  {
    id: 'logo_churn',
    analysis: 'Logo churn from subscriptions',
    needs: [['subscriptions.end_ts']],
    missing: 'A subscriptions table with customer ID, start and end / cancel dates',
    severity: 'warning',
    because: 'Counting cancelled accounts needs subscription start and end dates.',
  },
  {
    id: 'revenue_churn',
    analysis: 'Revenue churn, net and gross revenue retention (NRR, GRR)',
    needs: [['subscriptions.end_ts', 'subscriptions.mrr']],
    missing: 'A subscriptions table with end dates and recurring revenue',
    severity: 'warning',
    because: 'Revenue kept and lost is measured on recurring revenue per subscription over time.',
  },
  {
    id: 'next_product',
    analysis: 'Next product prediction',
    needs: PRODUCT,
    missing: 'A product or category column in orders',
    severity: 'info',
    because: 'Predicting what a customer buys next needs to know what they bought before.',
  },
  {
    id: 'replenishment',
    analysis: 'Replenishment timing (when a consumable runs out)',
    needs: [['orders.product']],
    missing: 'A product column in orders',
    severity: 'info',
    because: 'Repurchase intervals are measured per product, so each order line needs its product.',
  },
  {
    id: 'plan_changes',
    analysis: 'Upgrade timing and trial-to-paid conversion',
    needs: [['subscriptions.plan']],
    missing: 'A plan column in subscriptions',
    severity: 'info',
    because:
      'Moves between plans, trial included, show only when each subscription records its plan.',
  },
  {
    id: 'scenario_forecast',
    analysis: 'Scenario forecast of revenue and customers under what-if churn',
    needs: [
      ['orders'],
      ['subscriptions.mrr'],
      ['customers.churned', 'customers.recurring_revenue'],
    ],
    missing:
      'Orders, or subscriptions with recurring revenue, or customers with a churn label and recurring revenue',
    severity: 'warning',
    because: 'A forecast needs today’s churn rate and the revenue each customer brings.',
  },
];

function roleSet(available: DataAvailability): Set<string> {
  const present = new Set<string>();
  for (const [table, roles] of Object.entries(available.tables)) {
    if (!roles) continue;
    present.add(table);
    for (const role of roles) present.add(`${table}.${role}`);
  }
  return present;
}

function supported(spec: AnalysisSpec, present: Set<string>): boolean {
  return spec.needs.some((alternative) => alternative.every((item) => present.has(item)));
}

/** The analyses the data cannot support, each with what would make it possible. */
export function dataGaps(available: DataAvailability): Gap[] {
  const present = roleSet(available);
  return (
    ANALYSES.filter((spec) => !supported(spec, present))
      // Inactivity churn needs purchases; without orders the churn_rate gap says it all.
      .filter((spec) => spec.id !== 'churn_label' || present.has('orders'))
      .map(({ id, analysis, missing, severity, because }) => ({
        id,
        analysis,
        missing,
        severity,
        because,
      }))
  );
}

/** The analyses the data supports. */
export function availableAnalyses(available: DataAvailability): AnalysisSpec[] {
  const present = roleSet(available);
  return ANALYSES.filter((spec) => supported(spec, present));
}
