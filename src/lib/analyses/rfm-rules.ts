/**
 * The named RFM segments (DOMAIN.md, "Analyses"), defined once as data: the SQL
 * CASE that assigns segments is generated from {@link SEGMENT_RULES}, so the rules
 * the app shows are exactly the rules the SQL applies.
 *
 * The grid is the widely used recency × frequency segment map of RFM tutorials,
 * read on the combined FM score instead of F alone, with its low-value corner
 * split in two: Lost (R 1) and Hibernating (R 2):
 *
 * ```
 *        R=1          R=2          R=3             R=4                  R=5
 * FM=5   Can't lose   Can't lose   Loyal           Loyal                Champions
 * FM=4   At risk      At risk      Loyal           Loyal                Champions
 * FM=3   At risk      At risk      Need attention  Potential loyalists  Potential loyalists
 * FM=2   Lost         Hibernating  About to sleep  Potential loyalists  Potential loyalists
 * FM=1   Lost         Hibernating  About to sleep  Promising            New
 * ```
 */
import { literal } from '../sql/quote.ts';

export type RfmSegment =
  | 'Champions'
  | 'Loyal'
  | 'Potential loyalists'
  | 'New'
  | 'Promising'
  | 'Need attention'
  | 'About to sleep'
  | 'At risk'
  | "Can't lose them"
  | 'Hibernating'
  | 'Lost';

/** One rule: a customer whose R and FM scores are inside both inclusive ranges. */
export interface SegmentRule {
  segment: RfmSegment;
  /** What the customers have in common, for a consultant. */
  description: string;
  /** Inclusive range of the recency score R. */
  r: readonly [lo: number, hi: number];
  /** Inclusive range of FM = round((F + M) / 2), halves rounded up. */
  fm: readonly [lo: number, hi: number];
}

/**
 * The segment rules, best customers first; the first rule that matches wins. The
 * ranges do not overlap and cover every (R, FM) pair 1–5 × 1–5, so the order only
 * fixes how segments are listed.
 */
export const SEGMENT_RULES: readonly SegmentRule[] = [
  {
    segment: 'Champions',
    description: 'Bought very recently, buy often and spend the most.',
    r: [5, 5],
    fm: [4, 5],
  },
  {
    segment: 'Loyal',
    description: 'Buy often and spend well, and bought fairly recently.',
    r: [3, 4],
    fm: [4, 5],
  },
  {
    segment: 'Potential loyalists',
    description: 'Recent buyers with a middling number of orders and spend.',
    r: [4, 5],
    fm: [2, 3],
  },
  {
    segment: 'New',
    description: 'Bought very recently, but few orders and little spend so far.',
    r: [5, 5],
    fm: [1, 1],
  },
  {
    segment: 'Promising',
    description: 'Bought recently, few orders and little spend.',
    r: [4, 4],
    fm: [1, 1],
  },
  {
    segment: 'Need attention',
    description: 'Middling on recency, orders and spend alike.',
    r: [3, 3],
    fm: [3, 3],
  },
  {
    segment: 'About to sleep',
    description: 'Middling recency, few orders and little spend: slipping away.',
    r: [3, 3],
    fm: [1, 2],
  },
  {
    segment: 'At risk',
    description: 'Bought often and spent well, but not for a long time.',
    r: [1, 2],
    fm: [3, 4],
  },
  {
    segment: "Can't lose them",
    description: 'Among the most orders and spend, but not seen for a long time.',
    r: [1, 2],
    fm: [5, 5],
  },
  {
    segment: 'Hibernating',
    description: 'Last order a while ago, few orders and little spend.',
    r: [2, 2],
    fm: [1, 2],
  },
  {
    segment: 'Lost',
    description: 'Last order longest ago, few orders and little spend.',
    r: [1, 1],
    fm: [1, 2],
  },
];

/** Whether the rule matches the scores. */
export function ruleMatches(rule: SegmentRule, r: number, fm: number): boolean {
  return r >= rule.r[0] && r <= rule.r[1] && fm >= rule.fm[0] && fm <= rule.fm[1];
}

/** FM = (F + M) ÷ 2 rounded, halves up: F 4, M 5 → 5. */
export function fmScore(f: number, m: number): number {
  return Math.floor((f + m + 1) / 2);
}

/** The segment of a pair of scores: the first rule that matches. */
export function segmentOf(r: number, fm: number): RfmSegment {
  const rule = SEGMENT_RULES.find((x) => ruleMatches(x, r, fm));
  if (!rule) throw new RangeError(`No segment for R ${r}, FM ${fm}.`);
  return rule.segment;
}

/** SQL for FM from integer score columns, the same rounding as {@link fmScore}. */
export function fmSql(f: string, m: string): string {
  return `((${f} + ${m} + 1) // 2)`;
}

/** The SQL CASE that gives the segment of integer score expressions `r` and `fm`. */
export function segmentCaseSql(r: string, fm: string): string {
  const whens = SEGMENT_RULES.map(
    (x) =>
      `    WHEN ${r} BETWEEN ${literal(x.r[0])} AND ${literal(x.r[1])} ` +
      `AND ${fm} BETWEEN ${literal(x.fm[0])} AND ${literal(x.fm[1])} THEN ${literal(x.segment)}`,
  );
  return `CASE\n${whens.join('\n')}\n  END`;
}
