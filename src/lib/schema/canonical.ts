/**
 * The canonical retention data model. Every analysis reads only these DuckDB views,
 * never the user's raw tables: column names from files are mapped to these roles once
 * (see mapping.ts), and the views are rebuilt from the mapping (views.ts).
 *
 * Types are fixed here so both engines give the same values: ids are VARCHAR,
 * timestamps are TIMESTAMP (wall-clock time in the mapping's time zone), money and
 * quantities are DOUBLE.
 */

export type CanonicalTable =
  'orders' | 'customers' | 'subscriptions' | 'events' | 'feedback' | 'programme';

export type ColumnType = 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE' | 'BOOLEAN';

export interface RoleSpec {
  /** The canonical column name in the view. */
  column: string;
  type: ColumnType;
  required: boolean;
  label: string;
  help: string;
}

/** Roles per canonical table, in display order. */
export const ROLES = {
  orders: [
    {
      column: 'customer_id',
      type: 'VARCHAR',
      required: true,
      label: 'Customer ID',
      help: 'Who bought.',
    },
    {
      column: 'order_ts',
      type: 'TIMESTAMP',
      required: true,
      label: 'Order date',
      help: 'When the order was placed.',
    },
    {
      column: 'amount',
      type: 'DOUBLE',
      required: true,
      label: 'Amount',
      help: 'Value of the row (an order or an order line), or quantity × unit price.',
    },
    {
      column: 'order_id',
      type: 'VARCHAR',
      required: false,
      label: 'Order ID',
      help: 'Groups order lines into orders. Without it, one customer’s rows at the same moment form one order.',
    },
    {
      column: 'quantity',
      type: 'DOUBLE',
      required: false,
      label: 'Quantity',
      help: 'Units in the row.',
    },
    {
      column: 'unit_price',
      type: 'DOUBLE',
      required: false,
      label: 'Unit price',
      help: 'Price per unit.',
    },
    {
      column: 'product',
      type: 'VARCHAR',
      required: false,
      label: 'Product',
      help: 'Product name or SKU.',
    },
    {
      column: 'category',
      type: 'VARCHAR',
      required: false,
      label: 'Category',
      help: 'Product category or type.',
    },
    {
      column: 'channel',
      type: 'VARCHAR',
      required: false,
      label: 'Channel / source',
      help: 'Sales channel or traffic source.',
    },
    {
      column: 'discount_code',
      type: 'VARCHAR',
      required: false,
      label: 'Discount code',
      help: 'Code or discount applied.',
    },
    {
      column: 'status',
      type: 'VARCHAR',
      required: false,
      label: 'Status / cancellation',
      help: 'Marks cancelled or returned rows.',
    },
  ],
  customers: [
    {
      column: 'customer_id',
      type: 'VARCHAR',
      required: true,
      label: 'Customer ID',
      help: 'The same ID as in orders.',
    },
    {
      column: 'signup_ts',
      type: 'TIMESTAMP',
      required: false,
      label: 'Signup date',
      help: 'When the customer joined.',
    },
    {
      column: 'acquisition_source',
      type: 'VARCHAR',
      required: false,
      label: 'Acquisition source',
      help: 'Where the customer came from.',
    },
    {
      column: 'plan',
      type: 'VARCHAR',
      required: false,
      label: 'Plan / contract',
      help: 'Plan, tier or contract type.',
    },
    {
      column: 'region',
      type: 'VARCHAR',
      required: false,
      label: 'Region / country',
      help: 'Where the customer is.',
    },
    {
      column: 'churned',
      type: 'BOOLEAN',
      required: false,
      label: 'Churn label',
      help: 'Whether the customer has left (Yes/No, 1/0, true/false).',
    },
    {
      column: 'churn_ts',
      type: 'TIMESTAMP',
      required: false,
      label: 'Churn date',
      help: 'When the customer left.',
    },
    {
      column: 'tenure_months',
      type: 'DOUBLE',
      required: false,
      label: 'Tenure (months)',
      help: 'How long the customer has been a customer.',
    },
    {
      column: 'recurring_revenue',
      type: 'DOUBLE',
      required: false,
      label: 'Recurring revenue',
      help: 'Monthly recurring charge.',
    },
    {
      column: 'total_spend',
      type: 'DOUBLE',
      required: false,
      label: 'Total spend',
      help: 'Lifetime charges so far.',
    },
  ],
  subscriptions: [
    {
      column: 'customer_id',
      type: 'VARCHAR',
      required: true,
      label: 'Customer ID',
      help: 'Who subscribed.',
    },
    {
      column: 'start_ts',
      type: 'TIMESTAMP',
      required: true,
      label: 'Start date',
      help: 'When the subscription started.',
    },
    {
      column: 'end_ts',
      type: 'TIMESTAMP',
      required: false,
      label: 'End / cancel date',
      help: 'When it ended; empty while active.',
    },
    {
      column: 'plan',
      type: 'VARCHAR',
      required: false,
      label: 'Plan',
      help: 'The plan subscribed to.',
    },
    {
      column: 'mrr',
      type: 'DOUBLE',
      required: false,
      label: 'Recurring revenue',
      help: 'Monthly recurring revenue of the subscription.',
    },
  ],
  events: [
    {
      column: 'customer_id',
      type: 'VARCHAR',
      required: true,
      label: 'Customer ID',
      help: 'Who did it.',
    },
    {
      column: 'event_ts',
      type: 'TIMESTAMP',
      required: true,
      label: 'Time',
      help: 'When it happened.',
    },
    {
      column: 'event_name',
      type: 'VARCHAR',
      required: true,
      label: 'Event',
      help: 'What happened.',
    },
    {
      column: 'properties',
      type: 'VARCHAR',
      required: false,
      label: 'Properties',
      help: 'Extra details.',
    },
  ],
  feedback: [
    {
      column: 'customer_id',
      type: 'VARCHAR',
      required: true,
      label: 'Customer ID',
      help: 'Who answered.',
    },
    {
      column: 'feedback_ts',
      type: 'TIMESTAMP',
      required: true,
      label: 'Date',
      help: 'When they answered.',
    },
    {
      column: 'score',
      type: 'DOUBLE',
      required: true,
      label: 'Score (0–10)',
      help: 'The likelihood-to-recommend score.',
    },
    {
      column: 'text',
      type: 'VARCHAR',
      required: false,
      label: 'Comment',
      help: 'Free-text answer.',
    },
    {
      column: 'topic',
      type: 'VARCHAR',
      required: false,
      label: 'Topic',
      help: 'Theme or category of the feedback.',
    },
  ],
  programme: [
    {
      column: 'customer_id',
      type: 'VARCHAR',
      required: true,
      label: 'Customer ID',
      help: 'Who is in the programme.',
    },
    {
      column: 'group_name',
      type: 'VARCHAR',
      required: true,
      label: 'Group',
      help: 'Treatment or holdout.',
    },
    {
      column: 'programme',
      type: 'VARCHAR',
      required: false,
      label: 'Programme',
      help: 'Loyalty, referral, win-back, …',
    },
    {
      column: 'start_ts',
      type: 'TIMESTAMP',
      required: false,
      label: 'Start date',
      help: 'When the customer joined the programme.',
    },
  ],
} as const satisfies Record<CanonicalTable, readonly RoleSpec[]>;

export type Role<T extends CanonicalTable = CanonicalTable> = (typeof ROLES)[T][number]['column'];

export const TABLE_LABELS: Record<CanonicalTable, string> = {
  orders: 'Orders / transactions',
  customers: 'Customers',
  subscriptions: 'Subscriptions',
  events: 'Events',
  feedback: 'Feedback / NPS',
  programme: 'Programme membership',
};

/**
 * Why a source row is left out of a canonical view. `orders_all` carries every
 * source row with its reason (NULL when it counts); `orders` holds only rows that count.
 */
export type Exclusion =
  'missing_customer' | 'bad_date' | 'bad_amount' | 'cancelled' | 'non_positive' | 'duplicate';

export const EXCLUSION_LABELS: Record<Exclusion, string> = {
  missing_customer: 'No customer ID',
  bad_date: 'Date that does not parse',
  bad_amount: 'Amount that does not parse',
  cancelled: 'Cancellations and returns',
  non_positive: 'Zero or negative amount',
  duplicate: 'Exact duplicate rows',
};
