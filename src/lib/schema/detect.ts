import { toRows } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident } from '../sql/quote.ts';
import { ROLES, type CanonicalTable, type ColumnType, type RoleSpec } from './canonical.ts';
import {
  emptyTableMapping,
  isInteger,
  isNumeric,
  isTemporal,
  isText,
  type CancellationRule,
  type TableMapping,
  type ValueParse,
} from './mapping.ts';
import {
  epochUnit,
  guessDateFormat,
  guessNumberText,
  looksLikeYyyymmdd,
  normaliseName,
} from './patterns.ts';
import { SYNONYMS } from './synonyms.ts';

/** What Retain knows about a raw column before mapping it. */
export interface ColumnProfile {
  name: string;
  type: string;
  rows: number;
  nonNull: number;
  distinct: number;
  /** Up to 1,000 non-empty values from the first rows, as text. */
  texts: string[];
  /** The same values as numbers, for numeric columns. */
  numbers: number[];
}

export interface TableProfile {
  table: string;
  rows: number;
  columns: ColumnProfile[];
  /** The first rows as text, aligned with `columns` (null where empty). */
  sample: (string | null)[][];
}

const SAMPLE_ROWS = 1000;

/** Profile a raw table: counts from a full scan, value patterns from its first rows. */
export async function profileTable(engine: SqlEngine, table: string): Promise<TableProfile> {
  const columns = toRows(
    await engine.query(
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index`,
      { params: [table] },
    ),
  ).map((r) => ({ name: String(r.name), type: String(r.type) }));
  const profiled = columns.slice(0, 300);
  const stats = profiled.flatMap((c, i) => [
    `count(${ident(c.name)})::DOUBLE AS n${i}`,
    `approx_count_distinct(${ident(c.name)})::DOUBLE AS d${i}`,
  ]);
  const [counts] = toRows(
    await engine.query(
      `SELECT count(*)::DOUBLE AS rows${stats.length ? ', ' : ''}${stats.join(', ')} FROM ${ident(table)}`,
    ),
  );
  const sample = toRows(
    await engine.query(
      `SELECT ${profiled.map((c) => `CAST(${ident(c.name)} AS VARCHAR) AS ${ident(`t${profiled.indexOf(c)}`)}`).join(', ') || '1'}
       FROM ${ident(table)} LIMIT ${SAMPLE_ROWS}`,
    ),
  );
  const rows = Number(counts.rows);
  return {
    table,
    rows,
    sample: sample.map((r) =>
      profiled.map((_, i) => (typeof r[`t${i}`] === 'string' ? String(r[`t${i}`]) : null)),
    ),
    columns: profiled.map((c, i) => {
      const texts = sample
        .map((r) => r[`t${i}`])
        .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
      return {
        ...c,
        rows,
        nonNull: Number(counts[`n${i}`]),
        distinct: Number(counts[`d${i}`]),
        texts,
        numbers: isNumeric(c.type) ? texts.map(Number) : [],
      };
    }),
  };
}

/** How a column could fill a role, and how sure we are. */
interface Fit {
  score: number;
  parse?: ValueParse;
  note?: string;
}

/** Words that rule a header out for a role even when it contains a synonym ("Customer Note" is no ID). */
const NOT_FOR: Record<string, RegExp> = {
  customer_id:
    /note|comment|message|name|first|last|phone|address|city|country|company|accepts|marketing|tags?$/,
  order_id: /note|comment|customer|line|item|product|sku|tags?$/,
  amount: /shipping|tax|discount|fee|refund|cost|duties|tip|price$|unit/,
  unit_price: /shipping|tax|discount|total|refund|converted/,
  order_ts: /paid|fulfil|ship|deliver|cancel|refund|birth|updated/,
  churned: /accepts|marketing|email|sms|verified|exempt/,
  churn_ts: /active|login|seen|updated/,
};

function nameScore(kind: CanonicalTable, role: string, column: string): number {
  const name = normaliseName(column);
  // Retain's own role name (order_ts, churn_ts…) is what a file exported from Retain
  // or prepared for it carries: as sure a match as the most specific synonym.
  if (name === normaliseName(role)) return 12;
  const words = SYNONYMS[kind][role] ?? [];
  const exact = words.indexOf(name);
  // Earlier synonyms are the more specific ones.
  if (exact >= 0) return 12 - Math.min(4, exact / 8);
  if (NOT_FOR[role]?.test(name)) return 0;
  const partial = words.findIndex(
    (w) => w.length >= 4 && (name.includes(w) || (w.includes(name) && name.length >= 5)),
  );
  return partial >= 0 && name.length >= 3 ? 6 - Math.min(2, partial / 10) : 0;
}

/** Whether a column's values can serve as the role's type, and how to parse them. */
function typeFit(target: ColumnType, role: string, c: ColumnProfile): Fit | undefined {
  switch (target) {
    case 'TIMESTAMP': {
      if (isTemporal(c.type))
        return { score: 4, parse: c.type.includes('TIME ZONE') ? { utc: true } : {} };
      if (isInteger(c.type)) {
        if (looksLikeYyyymmdd(c.numbers))
          return { score: 4, parse: { date: '%Y%m%d' }, note: 'dates written as YYYYMMDD' };
        const epoch = epochUnit(c.numbers);
        if (epoch)
          return {
            score: 3,
            parse: { date: epoch, utc: true },
            note: `Unix time in ${epoch === 'epoch_s' ? 'seconds' : 'milliseconds'}`,
          };
        return undefined;
      }
      if (isText(c.type)) {
        const guess = guessDateFormat(c.texts);
        if (!guess) return undefined;
        const utc = guess.utc || /utc/i.test(c.name);
        return {
          score: 4,
          parse: { ...(guess.format ? { date: guess.format } : {}), ...(utc ? { utc: true } : {}) },
          note: guess.ambiguous
            ? 'day/month order is ambiguous: read as day first; check it'
            : undefined,
        };
      }
      return undefined;
    }
    case 'DOUBLE': {
      if (isNumeric(c.type)) {
        if (
          role === 'amount' ||
          role === 'unit_price' ||
          role === 'mrr' ||
          role === 'recurring_revenue' ||
          role === 'total_spend'
        ) {
          return { score: c.numbers.some((v) => !Number.isInteger(v)) ? 3 : 1 };
        }
        if (role === 'score')
          return c.numbers.every((v) => v >= 0 && v <= 10) ? { score: 3 } : undefined;
        return { score: 1 };
      }
      if (isText(c.type)) {
        const decimal = guessNumberText(c.texts);
        if (!decimal) return undefined;
        return {
          score: 1,
          parse: decimal === ',' ? { decimal } : {},
          note: 'numbers written as text',
        };
      }
      if (c.type === 'BOOLEAN') return undefined;
      return undefined;
    }
    case 'BOOLEAN': {
      if (c.type === 'BOOLEAN') return { score: 2 };
      const values = new Set(c.texts.map((v) => v.trim().toLowerCase()));
      if (
        values.size > 0 &&
        values.size <= 2 &&
        [...values].every((v) => /^(yes|no|y|n|true|false|0|1|churned|stayed|left)$/.test(v))
      ) {
        return { score: 2 };
      }
      return undefined;
    }
    case 'VARCHAR': {
      if (role === 'customer_id' || role === 'order_id') {
        if (isTemporal(c.type) || c.type === 'BOOLEAN') return undefined;
        if (/^(DOUBLE|FLOAT)/.test(c.type) && c.numbers.some((v) => !Number.isInteger(v)))
          return undefined;
        if (isText(c.type) && guessDateFormat(c.texts)) return undefined;
        const leadingZeros = c.texts.some((v) => /^0\d/.test(v));
        return { score: leadingZeros ? 2 : 1 };
      }
      if (role === 'group_name') {
        const values = new Set(c.texts.map((v) => v.trim().toLowerCase()));
        return [...values].some((v) => /treat|control|holdout|hold-out|test|variant/.test(v))
          ? { score: 4 }
          : isText(c.type)
            ? { score: 0 }
            : undefined;
      }
      if (isNumeric(c.type) && !['product', 'channel', 'plan', 'region'].includes(role))
        return { score: 0 };
      return isText(c.type) ? { score: 1 } : { score: 0 };
    }
  }
}

export interface RoleChoice {
  role: string;
  column: string;
  score: number;
  note?: string;
}

export interface Proposal {
  mapping: TableMapping;
  /** 0…1: how sure the detection is (all required roles found by name scores high). */
  confidence: number;
  choices: RoleChoice[];
  /** Plain sentences explaining what was guessed and what to check. */
  notes: string[];
}

/** Assign columns to roles for one kind of table: best score first, each column once. */
function assign(
  kind: CanonicalTable,
  profile: TableProfile,
): { choices: RoleChoice[]; parse: Record<string, ValueParse> } {
  const candidates: (RoleChoice & { parse?: ValueParse })[] = [];
  for (const spec of ROLES[kind] as readonly RoleSpec[]) {
    profile.columns.forEach((c, index) => {
      const fit = typeFit(spec.type, spec.column, c);
      if (!fit) return;
      const byName = nameScore(kind, spec.column, c.name);
      // A named column must be named like the role; in a file without a header
      // (column0, column1, …) strong value patterns decide.
      const score = byName + fit.score - index * 0.001;
      if (byName === 0 && !isHeaderless(profile)) return;
      if (byName === 0 && fit.score < 3 && spec.column !== 'customer_id') return;
      candidates.push({
        role: spec.column,
        column: c.name,
        score,
        note: fit.note,
        parse: fit.parse,
      });
    });
  }
  candidates.sort((a, b) => b.score - a.score);
  const usedRoles = new Set<string>();
  const usedColumns = new Set<string>();
  const choices: RoleChoice[] = [];
  const parse: Record<string, ValueParse> = {};
  for (const c of candidates) {
    if (usedRoles.has(c.role) || usedColumns.has(c.column)) continue;
    usedRoles.add(c.role);
    usedColumns.add(c.column);
    choices.push({ role: c.role, column: c.column, score: c.score, note: c.note });
    if (c.parse && Object.keys(c.parse).length) parse[c.role] = c.parse;
  }
  return { choices, parse };
}

function isHeaderless(profile: TableProfile): boolean {
  return profile.columns.every((c) => /^column\d+$/.test(c.name));
}

/** Whether a column holds the same value on every line of each multi-line order (in the sample). */
function repeatsWithinOrders(profile: TableProfile, column: string, orderId: string): boolean {
  const a = profile.columns.findIndex((c) => c.name === column);
  const o = profile.columns.findIndex((c) => c.name === orderId);
  const byOrder = new Map<string, (string | null)[]>();
  for (const row of profile.sample) {
    const id = row[o];
    if (id === null) continue;
    byOrder.set(id, [...(byOrder.get(id) ?? []), row[a]]);
  }
  const multi = [...byOrder.values()].filter((values) => values.length > 1);
  return (
    multi.length > 0 &&
    multi.every((values) => values[0] !== null && values.every((v) => v === values[0]))
  );
}

/** Status words that mean the row brought no revenue: cancelled, refunded, failed, never paid. */
const NOT_REVENUE =
  /cancel|refund|return|void|fail|declin|chargeback|requires_?payment|incomplete|unpaid|expired|storn|annul|rembours/;

/**
 * Look for what marks cancellations and returns: an order ID prefix (Online Retail's
 * "C"), a filled "Cancelled at", status values. Several markers are combined.
 */
function detectCancellation(
  profile: TableProfile,
  columns: Record<string, string>,
): CancellationRule | undefined {
  const orderId = profile.columns.find((c) => c.name === columns.order_id);
  if (orderId && isText(orderId.type)) {
    const prefixed = orderId.texts.filter((v) => /^[Cc]\d/.test(v)).length;
    const numeric = orderId.texts.filter((v) => /^\d+$/.test(v)).length;
    if (prefixed > 0 && numeric > prefixed)
      return { kind: 'prefix', column: orderId.name, prefix: 'C' };
  }
  const rules: CancellationRule[] = [];
  for (const c of profile.columns) {
    const name = normaliseName(c.name);
    if (/^(cancell?edat|cancell?eddate|cancell?ationdate)$/.test(name) && c.nonNull > 0) {
      rules.push({ kind: 'not_null', column: c.name });
    }
  }
  for (const c of profile.columns) {
    if (!isText(c.type) || !/status|state/.test(normaliseName(c.name))) continue;
    const values = [...new Set(c.texts.map((v) => v.trim().toLowerCase()))];
    const bad = values.filter((v) => NOT_REVENUE.test(v) && !/partial/.test(v));
    if (bad.length) {
      rules.push({ kind: 'values', column: c.name, values: bad });
      break;
    }
  }
  return rules.length > 1 ? { kind: 'any', rules } : rules[0];
}

/** Score how well a raw table fits a canonical kind; undefined when required roles are missing. */
function proposeFor(kind: CanonicalTable, profile: TableProfile): Proposal | undefined {
  const { choices, parse } = assign(kind, profile);
  const byRole = Object.fromEntries(choices.map((c) => [c.role, c.column]));
  const mapping = emptyTableMapping(profile.table, kind);
  mapping.parse = parse;
  const notes: string[] = [];
  if (kind === 'orders' && !byRole.amount) {
    if (byRole.quantity && byRole.unit_price) {
      mapping.amount = 'product';
      notes.push(`Amount is ${byRole.quantity} × ${byRole.unit_price}.`);
    }
  } else if (kind === 'orders' && byRole.amount && byRole.quantity && byRole.unit_price) {
    // An order total repeated on every line of the order would be counted once per
    // line: use the line value instead. A total written once per order is kept.
    if (byRole.order_id && repeatsWithinOrders(profile, byRole.amount, byRole.order_id)) {
      notes.push(
        `${byRole.amount} repeats the order total on every line, so the amount is ${byRole.quantity} × ${byRole.unit_price}.`,
      );
      delete byRole.amount;
      mapping.amount = 'product';
    } else mapping.amount = 'column';
  }
  const required = (ROLES[kind] as readonly RoleSpec[])
    .filter((r) => r.required)
    .map((r) => r.column);
  const missing = required.filter(
    (r) => !byRole[r] && !(r === 'amount' && mapping.amount === 'product'),
  );
  if (missing.length) return undefined;
  mapping.columns = byRole;
  if (kind === 'orders') mapping.cancellation = detectCancellation(profile, byRole);
  const customer = profile.columns.find((c) => c.name === byRole.customer_id);
  const unique = customer
    ? customer.distinct >= customer.nonNull * 0.97 && customer.nonNull > 0
    : false;
  let score = choices.reduce((s, c) => s + Math.min(c.score, 14), 0) / 10;
  const requiredByName = required.filter(
    (r) => byRole[r] && nameScore(kind, r, byRole[r]) > 0,
  ).length;
  switch (kind) {
    case 'customers':
      score += unique ? 4 : -6;
      break;
    case 'orders':
      score += unique ? -2 : 3;
      break;
    case 'feedback':
      score += byRole.score && nameScore(kind, 'score', byRole.score) > 0 ? 4 : -4;
      break;
    case 'programme':
      score += byRole.group_name && nameScore(kind, 'group_name', byRole.group_name) > 0 ? 4 : -4;
      break;
    case 'subscriptions':
      score +=
        /subscri/i.test(profile.table) ||
        profile.columns.some((c) => /interval|currentperiod|subscri/.test(normaliseName(c.name)))
          ? 5
          : -3;
      break;
    case 'events':
      score += byRole.event_name && nameScore(kind, 'event_name', byRole.event_name) > 0 ? 1 : -4;
      break;
  }
  if (kind === 'customers') {
    mapping.attributes = profile.columns
      .map((c) => c.name)
      .filter((n) => !Object.values(byRole).includes(n));
  }
  for (const c of choices) if (c.note) notes.push(`${c.column}: ${c.note}.`);
  if (mapping.cancellation) notes.push(describeCancellation(mapping.cancellation));
  const confidence = Math.max(
    0,
    Math.min(1, (requiredByName / required.length) * 0.8 + (score > 8 ? 0.2 : 0)),
  );
  return { mapping, confidence, choices, notes, score } as Proposal & { score: number };
}

export function describeCancellation(rule: CancellationRule): string {
  switch (rule.kind) {
    case 'any':
      return rule.rules.map(describeCancellation).join(' Also: ');
    case 'prefix':
      return `Cancellations: rows whose ${rule.column} starts with “${rule.prefix}”.`;
    case 'values':
      return `Cancellations and returns: rows whose ${rule.column} is ${rule.values.map((v) => `“${v}”`).join(' or ')}.`;
    case 'not_null':
      return `Cancellations: rows with a value in ${rule.column}.`;
    case 'negative':
      return `Returns: rows whose ${rule.column} is below zero.`;
  }
}

const KINDS: CanonicalTable[] = [
  'orders',
  'customers',
  'subscriptions',
  'feedback',
  'programme',
  'events',
];

/**
 * Propose a mapping for a raw table: the canonical table it most likely is, and
 * which column fills each role, from header names (several styles and languages),
 * types and value patterns. The user confirms or changes it.
 */
export function proposeMapping(
  profile: TableProfile,
  prefer?: CanonicalTable,
): Proposal | undefined {
  const proposals = (prefer ? [prefer] : KINDS)
    .map((k) => proposeFor(k, profile))
    .filter((p): p is Proposal & { score: number } => p !== undefined)
    .sort((a, b) => (b as { score: number }).score - (a as { score: number }).score);
  return proposals[0];
}

export async function detectMapping(engine: SqlEngine, table: string, prefer?: CanonicalTable) {
  const profile = await profileTable(engine, table);
  return { profile, proposal: proposeMapping(profile, prefer) };
}
