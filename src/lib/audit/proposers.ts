/**
 * The steps of {@link proposeAnswers}: each runs one analysis over the canonical
 * views and turns its result into proposals (with evidence) or "missing" notes
 * naming the data that would let it answer. Steps also fill the metrics and series
 * the findings and the report charts use.
 */
import { cohortAnalysis } from '../analyses/cohorts.ts';
import { kpiSummary } from '../analyses/kpis.ts';
import { num, queryRows } from '../analyses/kpis-sql.ts';
import { purchaseJourney } from '../analyses/purchases.ts';
import { rfm } from '../analyses/rfm.ts';
import type { SqlEngine } from '../engine/types.ts';
import {
  EVENTS_SQL,
  FEEDBACK_SQL,
  PROGRAMME_SQL,
  RETURNS_SQL,
  SEASONALITY_SQL,
  sourcesSql,
  ticketsSql,
} from './audit-sql.ts';
import type { AuditMetrics, AuditSeries, Proposal } from './proposals.ts';
import type { ProposerId } from './questionnaire.ts';

const pct = (x: number) => `${x.toLocaleString('en', { maximumFractionDigits: 1 })} %`;
const count = (x: number) => x.toLocaleString('en', { maximumFractionDigits: 0 });
const money = (x: number) =>
  x.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** A "the data cannot answer" proposal naming what would let it. */
export function missing(proposer: ProposerId, what: string, why: string): Proposal {
  return { proposer, status: 'missing', evidence: why, figures: {}, missing: what };
}

/** Proposer ids a step answers, and the step. */
export type Step = [ProposerId[], () => Promise<Partial<Record<ProposerId, Proposal>>>];

/** The steps, in the order they run; `present` holds the canonical relations that exist. */
export function stepsFor(
  engine: SqlEngine,
  present: Set<string>,
  metrics: AuditMetrics,
  series: AuditSeries,
): Step[] {
  const orders = present.has('orders');
  const none = async () => ({});
  return [
    [
      ['repeat_rate', 'nps'],
      async () => {
        const out: Partial<Record<ProposerId, Proposal>> = {};
        if (orders) {
          const s = await kpiSummary(engine, {});
          metrics.customers = s.customers;
          metrics.repeatRate = s.repeatPurchaseRate;
          metrics.oneTimeShare = s.repeatPurchaseRate === null ? null : 100 - s.repeatPurchaseRate;
          if (s.repeatPurchaseRate !== null) {
            out.repeat_rate = {
              proposer: 'repeat_rate',
              status: 'proposed',
              answer: { number: round1(s.repeatPurchaseRate) },
              evidence: `${count(s.repeatCustomers)} of ${count(s.customers)} customers placed two or more orders (${pct(s.repeatPurchaseRate)}).`,
              figures: {
                customers: s.customers,
                repeatCustomers: s.repeatCustomers,
                repeatPurchaseRate: s.repeatPurchaseRate,
              },
            };
          }
          if (s.nps?.nps !== null && s.nps?.nps !== undefined) {
            metrics.nps = s.nps.nps;
            out.nps = npsProposal(s.nps.nps, s.nps.responses, s.nps.promoters, s.nps.detractors);
          }
        }
        out.nps ??= present.has('feedback')
          ? missing('nps', 'feedback.score', 'The feedback table has no scores from 0 to 10.')
          : missing(
              'nps',
              'A feedback table with a 0–10 score',
              'No feedback is loaded; load survey answers with a customer ID, a date and a 0–10 score.',
            );
        return out;
      },
    ],
    [
      ['month1_retention', 'ltv_by_cohort'],
      orders
        ? async () => {
            const c = await cohortAnalysis(engine, { grain: 'month' });
            const avg = c.average.filter((a) => a.slice === null);
            const m1 = avg.find((a) => a.period === 1);
            series.retention = avg
              .filter((a) => !a.partial && a.period >= 1 && a.period <= 12)
              .map((a) => ({ period: a.period, retention: a.retention }));
            const out: Partial<Record<ProposerId, Proposal>> = {};
            if (m1) {
              metrics.month1Retention = m1.retention * 100;
              out.month1_retention = {
                proposer: 'month1_retention',
                status: 'proposed',
                answer: { number: round1(m1.retention * 100) },
                evidence: `Over ${m1.cohorts} monthly cohorts, ${pct(m1.retention * 100)} of a cohort’s customers bought again in the month after their first (size-weighted).`,
                figures: { cohorts: m1.cohorts, month1Retention: m1.retention * 100 },
              };
            }
            const whole = avg.filter((a) => !a.partial && a.period <= 11);
            const last = whole.at(-1);
            if (last) {
              out.ltv_by_cohort = {
                proposer: 'ltv_by_cohort',
                status: 'proposed',
                answer: { yesno: true, number: round2(last.ltv), text: money(last.ltv) },
                evidence: `The orders give LTV per monthly cohort for ${c.cohorts.length} cohorts; over the first ${last.period + 1} months a customer brings ${money(last.ltv)} on average (the ${last.cohorts} cohort${last.cohorts === 1 ? '' : 's'} observed that long).`,
                figures: { cohorts: c.cohorts.length, months: last.period, ltv: last.ltv },
              };
            }
            return out;
          }
        : none,
    ],
    [
      ['top_first_purchase', 'top_second_purchase'],
      orders
        ? async () => {
            const j = await purchaseJourney(engine, { by: 'product', top: 3 });
            if (j.topFirst.length === 0) {
              const why =
                'No product is mapped in the orders, so the data cannot name the items; map a product or category column.';
              return {
                top_first_purchase: missing('top_first_purchase', 'orders.product', why),
                top_second_purchase: missing('top_second_purchase', 'orders.product', why),
              };
            }
            const [first] = j.topFirst;
            const out: Partial<Record<ProposerId, Proposal>> = {
              top_first_purchase: {
                proposer: 'top_first_purchase',
                status: 'proposed',
                answer: { text: first.item },
                evidence: `${count(first.customers)} customers (${pct(first.share * 100)} of first orders) started with it; next: ${
                  j.topFirst
                    .slice(1)
                    .map((t) => `${t.item} (${count(t.customers)})`)
                    .join(', ') || 'none'
                }.`,
                figures: { item: first.item, customers: first.customers, share: first.share * 100 },
              },
            };
            const second = j.topSecond[0];
            out.top_second_purchase = second
              ? {
                  proposer: 'top_second_purchase',
                  status: 'proposed',
                  answer: { text: second.item },
                  evidence: `${count(second.customers)} customers had it in their second order; next: ${
                    j.topSecond
                      .slice(1)
                      .map((t) => `${t.item} (${count(t.customers)})`)
                      .join(', ') || 'none'
                  }.`,
                  figures: { item: second.item, customers: second.customers },
                }
              : missing(
                  'top_second_purchase',
                  'Customers with a second order',
                  'No customer has a second order yet.',
                );
            return out;
          }
        : none,
    ],
    [
      ['seasonality'],
      orders
        ? async () => {
            const rows = await queryRows(engine, SEASONALITY_SQL);
            const total = rows.reduce((s, r) => s + num(r.revenue), 0);
            if (rows.length < 12 || total <= 0) {
              return {
                seasonality: missing(
                  'seasonality',
                  'Orders over at least a whole year',
                  'The orders do not cover every month of the year.',
                ),
              };
            }
            const sorted = [...rows].sort((a, b) => num(b.revenue) - num(a.revenue));
            const peak = sorted[0];
            const low = sorted.at(-1)!;
            const share = (r: (typeof rows)[number]) => (num(r.revenue) / total) * 100;
            return {
              seasonality: {
                proposer: 'seasonality',
                status: 'proposed',
                answer: {
                  text: `Peak in ${MONTHS[num(peak.month) - 1]} (${pct(share(peak))} of revenue), low in ${MONTHS[num(low.month) - 1]} (${pct(share(low))})`,
                },
                evidence: `Revenue by calendar month over all orders; an even spread would give each month 8.3 %.`,
                figures: {
                  peakMonth: num(peak.month),
                  peakShare: share(peak),
                  lowMonth: num(low.month),
                  lowShare: share(low),
                },
              },
            };
          }
        : none,
    ],
    [
      ['returns_ratio'],
      orders
        ? async () => {
            const [r] = await queryRows(engine, RETURNS_SQL);
            const returned = num(r.returned);
            const lines = num(r.lines);
            if (returned === 0 && num(r.with_status) === 0) {
              return {
                returns_ratio: missing(
                  'returns_ratio',
                  'orders.status (a cancelled or returned flag)',
                  'Nothing in the orders marks a cancellation or return; map a status column, or negative quantities for returns.',
                ),
              };
            }
            const ratio = lines > 0 ? (returned / lines) * 100 : 0;
            metrics.returnsRatio = ratio;
            return {
              returns_ratio: {
                proposer: 'returns_ratio',
                status: 'proposed',
                answer: { number: round1(ratio) },
                evidence: `${count(returned)} of ${count(lines)} order lines with a customer belong to cancelled or returned orders (${pct(ratio)}).`,
                figures: { returnedLines: returned, lines, returnsRatio: ratio },
              },
            };
          }
        : none,
    ],
    [
      ['segments_in_use'],
      orders
        ? async () => {
            const r = await rfm(engine, {});
            const used = r.segments
              .filter((s) => s.customers > 0)
              .sort((a, b) => b.customers - a.customers);
            const risk = r.segments.filter(
              (s) => s.segment === 'At risk' || s.segment === "Can't lose them",
            );
            series.segments = used.map((s) => ({
              segment: s.segment,
              customers: s.customers,
              revenueShare: s.revenueShare ?? 0,
            }));
            metrics.atRisk = {
              customers: risk.reduce((s, x) => s + x.customers, 0),
              revenueShare: risk.reduce((s, x) => s + (x.revenueShare ?? 0), 0),
            };
            return {
              segments_in_use: {
                proposer: 'segments_in_use',
                status: 'proposed',
                answer: {
                  text: `RFM segments from the orders: ${used
                    .slice(0, 4)
                    .map((s) => `${s.segment} ${count(s.customers)}`)
                    .join(', ')}${used.length > 4 ? ', …' : ''}`,
                },
                evidence: `Recency, frequency and monetary scores 1–5 by quintile put the customers in ${used.length} named segments (the RFM cell lists them all).`,
                figures: Object.fromEntries(used.map((s) => [s.segment, s.customers])),
              },
            };
          }
        : none,
    ],
    [
      ['feedback_collected'],
      async () => {
        if (!present.has('feedback')) {
          return {
            feedback_collected: missing(
              'feedback_collected',
              'A feedback table',
              'No feedback is loaded; load survey or review answers with a customer ID and a date.',
            ),
          };
        }
        const [f] = await queryRows(engine, FEEDBACK_SQL);
        return {
          feedback_collected: {
            proposer: 'feedback_collected',
            status: 'proposed',
            answer: { yesno: num(f.responses) > 0 },
            evidence: `The feedback table holds ${count(num(f.responses))} responses, ${count(num(f.scored))} with a score.`,
            figures: { responses: num(f.responses), scored: num(f.scored) },
          },
        };
      },
    ],
    [
      ['tickets_per_customer', 'event_tracking'],
      async () => {
        if (!present.has('events')) {
          const why =
            'No events are loaded; load an event log with a customer ID, a time and an event name (support tickets named e.g. "ticket").';
          return {
            tickets_per_customer: missing(
              'tickets_per_customer',
              'An events table with support tickets',
              why,
            ),
            event_tracking: missing('event_tracking', 'An events table', why),
          };
        }
        const [e] = await queryRows(engine, EVENTS_SQL);
        const base = present.has('customers') ? 'customers' : 'orders';
        const out: Partial<Record<ProposerId, Proposal>> = {
          event_tracking: {
            proposer: 'event_tracking',
            status: 'proposed',
            answer: { yesno: num(e.events) > 0 },
            evidence: `${count(num(e.events))} events of ${count(num(e.names))} kinds for ${count(num(e.customers))} customers.`,
            figures: { events: num(e.events), names: num(e.names), customers: num(e.customers) },
          },
        };
        if (!present.has(base)) return out;
        const [t] = await queryRows(engine, ticketsSql(base));
        const tickets = num(t.tickets);
        const customers = num(t.customers);
        out.tickets_per_customer =
          tickets === 0 || customers === 0
            ? missing(
                'tickets_per_customer',
                'Support events (names like "ticket" or "support")',
                'No event is named like a support contact; map support tickets as events.',
              )
            : {
                proposer: 'tickets_per_customer',
                status: 'proposed',
                answer: { number: round2(tickets / customers) },
                evidence: `${count(tickets)} support events for ${count(customers)} customers.`,
                figures: { tickets, customers, ticketsPerCustomer: tickets / customers },
              };
        return out;
      },
    ],
    [
      ['holdout_groups'],
      async () => {
        if (!present.has('programme')) {
          return {
            holdout_groups: missing(
              'holdout_groups',
              'A programme membership table (customer ID, group)',
              'No programme membership is loaded; load who is in each programme’s treatment and holdout group.',
            ),
          };
        }
        const groups = await queryRows(engine, PROGRAMME_SQL);
        const holdout = groups.filter((g) => g.holdout === true);
        return {
          holdout_groups: {
            proposer: 'holdout_groups',
            status: 'proposed',
            answer: { yesno: holdout.length > 0 },
            evidence: `Programme groups: ${groups.map((g) => `${String(g.group_name)} ${count(num(g.customers))}`).join(', ')}${holdout.length ? '' : ' (none named like a holdout or control group)'}.`,
            figures: Object.fromEntries(
              groups.map((g) => [String(g.group_name), num(g.customers)]),
            ),
          },
        };
      },
    ],
    [
      ['traffic_sources'],
      async () => {
        for (const relation of ['orders', 'customers'] as const) {
          if (!present.has(relation)) continue;
          const rows = await queryRows(engine, sourcesSql(relation));
          if (rows.length === 0) continue;
          return {
            traffic_sources: {
              proposer: 'traffic_sources',
              status: 'proposed',
              answer: {
                text: rows
                  .map((r) => `${String(r.source)} (${count(num(r.customers))})`)
                  .join(', '),
              },
              evidence: `Customers by ${relation === 'orders' ? 'order channel' : 'acquisition source'}, the largest first.`,
              figures: Object.fromEntries(rows.map((r) => [String(r.source), num(r.customers)])),
            },
          };
        }
        return {
          traffic_sources: missing(
            'traffic_sources',
            'orders.channel or customers.acquisition_source',
            'Neither an order channel nor an acquisition source is mapped.',
          ),
        };
      },
    ],
  ];
}

function npsProposal(
  nps: number,
  responses: number,
  promoters: number,
  detractors: number,
): Proposal {
  return {
    proposer: 'nps',
    status: 'proposed',
    answer: { number: round1(nps) },
    evidence: `${count(responses)} scored responses: ${count(promoters)} promoters (9–10), ${count(detractors)} detractors (0–6).`,
    figures: { responses, promoters, detractors, nps },
  };
}
