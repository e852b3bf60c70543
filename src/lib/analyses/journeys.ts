/**
 * Customer journeys (DOMAIN.md, "Analyses"; issue 7, part 5): the most frequent
 * event paths, as nodes and links for a Sankey diagram that ends in Churned or
 * Retained, and the top paths as a table.
 *
 * A journey is the customer's events before their bound (nps-outcomes.ts: before
 * the cut-off, or before their churn date), ordered by time; event names reached by
 * fewer than `minShare` of the customers with events are grouped as "Other"; a step
 * repeating the step before it is collapsed into one (login, login, buy is login,
 * buy: the diagram shows where customers go next, not how often they repeat);
 * the first `steps` steps are kept and the journey ends in Churned or Retained.
 * Nodes are step positions (a "login" at step 2 and at step 4 are two nodes), so
 * the graph has no cycles, as a Sankey needs.
 */
import { toRows } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import type { LabelSource } from '../churn/features.ts';
import { existingRelations, num } from './kpis-sql.ts';
import { planOutcomes, type OutcomeParams } from './nps-outcomes.ts';
import {
  CHURNED,
  journeyLinksSql,
  journeyPathsSql,
  journeySummarySql,
  RETAINED,
  type JourneySqlParams,
} from './journeys-sql.ts';

export { CHURNED, OTHER_STEP, PATH_SEPARATOR, RETAINED } from './journeys-sql.ts';

export const DEFAULT_STEPS = 4;
export const DEFAULT_MIN_SHARE = 0.02;

export interface JourneyParams extends OutcomeParams {
  /** Steps per journey, 1–10; default 4. */
  steps?: number;
  /** Event names reached by fewer than this share (0–1) of customers become "Other"; default 0.02. */
  minShare?: number;
  /** Rows of the paths table; default 20. */
  topPaths?: number;
  /** Aborting cancels the running query. */
  signal?: AbortSignal;
  /** Which step runs now, 0…1. */
  onProgress?: (fraction: number, step: string) => void;
}

export interface JourneyNode {
  /** `k:name` for steps, Churned / Retained for the outcomes. */
  id: string;
  name: string;
  /** Step position 1…steps; null for an outcome. */
  step: number | null;
  customers: number;
}

export interface JourneyLink {
  source: string;
  target: string;
  customers: number;
}

export interface JourneyPath {
  path: string;
  steps: number;
  customers: number;
  churned: number;
  churnRate: number;
}

export interface JourneyResult {
  label: LabelSource;
  cutoff: Date | null;
  explanation: string;
  steps: number;
  minShare: number;
  /** Customers with at least one event before their bound, and churned ones among them. */
  customers: number;
  churned: number;
  /** Event names grouped as Other, of all event names. */
  groupedEvents: number;
  eventNames: number;
  nodes: JourneyNode[];
  links: JourneyLink[];
  paths: JourneyPath[];
  sql: { links: string; paths: string };
}

/** Check the parameters; throws a RangeError saying what to change. */
export function checkJourneyParams(p: JourneyParams): void {
  if (p.steps !== undefined && !(Number.isInteger(p.steps) && p.steps >= 1 && p.steps <= 10))
    throw new RangeError(
      `The number of steps must be a whole number from 1 to 10, not ${p.steps}.`,
    );
  if (
    p.minShare !== undefined &&
    !(Number.isFinite(p.minShare) && p.minShare >= 0 && p.minShare < 1)
  )
    throw new RangeError(
      `The minimum share must be a fraction from 0 to 1 (0.02 groups events reached by fewer than 2 % of customers), not ${p.minShare}.`,
    );
  if (
    p.topPaths !== undefined &&
    !(Number.isInteger(p.topPaths) && p.topPaths >= 1 && p.topPaths <= 1000)
  )
    throw new RangeError(
      `The number of paths must be a whole number from 1 to 1,000, not ${p.topPaths}.`,
    );
}

/** Sankey nodes from links: a node carries the customers passing through it (the larger of in and out). */
export function nodesOf(
  links: readonly (JourneyLink & { k: number; final: boolean })[],
): JourneyNode[] {
  const nodes = new Map<string, JourneyNode & { in: number; out: number }>();
  const node = (id: string, name: string, step: number | null) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { id, name, step, customers: 0, in: 0, out: 0 }));
    return n;
  };
  for (const l of links) {
    node(`${l.k}:${l.source}`, l.source, l.k).out += l.customers;
    const target = l.final
      ? node(l.target, l.target, null)
      : node(`${l.k + 1}:${l.target}`, l.target, l.k + 1);
    target.in += l.customers;
  }
  return [...nodes.values()]
    .map(({ in: i, out, ...n }) => ({ ...n, customers: Math.max(i, out) }))
    .sort(
      (a, b) =>
        (a.step ?? Infinity) - (b.step ?? Infinity) ||
        b.customers - a.customers ||
        a.name.localeCompare(b.name),
    );
}

/** The journeys of the labelled customers; see the module comment. Throws a RangeError naming what to map. */
export async function journeys(
  engine: SqlEngine,
  params: JourneyParams = {},
): Promise<JourneyResult> {
  checkJourneyParams(params);
  const { signal } = params;
  const progress = params.onProgress ?? (() => {});
  progress(0, 'Who churned…');
  const present = await existingRelations(engine, ['events']);
  if (!present.has('events'))
    throw new RangeError(
      'Journeys need events: load an event export with a customer id, a time and an event name, and map it as “Events”.',
    );
  const plan = await planOutcomes(engine, params);
  const p: JourneySqlParams = {
    steps: params.steps ?? DEFAULT_STEPS,
    minShare: params.minShare ?? DEFAULT_MIN_SHARE,
  };
  const sql = {
    links: journeyLinksSql(plan.cte, p),
    paths: journeyPathsSql(plan.cte, p, params.topPaths ?? 20),
  };
  const query = async (text: string) => toRows(await engine.query(text, { signal }));
  progress(0.25, 'Steps per customer…');
  const [summary] = await query(journeySummarySql(plan.cte, p));
  progress(0.5, 'Links between steps…');
  const raw = (await query(sql.links)).map((x) => ({
    k: num(x.k),
    source: String(x.source),
    target: String(x.target),
    final: x.final === true,
    customers: num(x.customers),
  }));
  const nodes = nodesOf(raw);
  progress(0.75, 'Top paths…');
  const paths = (await query(sql.paths)).map((x) => ({
    path: String(x.path),
    steps: num(x.steps),
    customers: num(x.customers),
    churned: num(x.churned),
    churnRate: num(x.churn_rate),
  }));
  const id = (k: number, name: string, final: boolean) => (final ? name : `${k}:${name}`);
  return {
    label: plan.label,
    cutoff: plan.cutoff,
    explanation: plan.explanation,
    steps: p.steps,
    minShare: p.minShare,
    customers: num(summary.customers),
    churned: num(summary.churned),
    groupedEvents: num(summary.grouped_events),
    eventNames: num(summary.event_names),
    nodes,
    links: raw.map((l) => ({
      source: `${l.k}:${l.source}`,
      target: id(l.k + 1, l.target, l.final),
      customers: l.customers,
    })),
    paths,
    sql,
  };
}

/** Whether a node is one of the two outcomes. */
export const isOutcome = (name: string) => name === CHURNED || name === RETAINED;
