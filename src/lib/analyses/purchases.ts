/**
 * First and second purchase (DOMAIN.md, "Analyses"): the top first purchases, the
 * top second purchases and first → second add-ons, which first purchases lead to a
 * second one, and how fast. Definitions and SQL are in purchases-sql.ts; every
 * statement is returned with the result so the app can show and edit it.
 */
import type { SqlEngine } from '../engine/types.ts';
import { num, queryRows } from './kpis-sql.ts';
import {
  addOnsSql,
  checkHorizon,
  checkItemColumn,
  checkTop,
  daysToSecondSql,
  firstPurchaseSql,
  itemColumnsSql,
  repeatCurveSql,
  secondPurchaseSql,
  secondRateByFirstSql,
  type ItemColumn,
} from './purchases-sql.ts';

export {
  addOnsSql,
  curveDays,
  CURVE_DAYS,
  DAY_BUCKETS,
  daysToSecondSql,
  firstPurchaseSql,
  itemColumnsSql,
  journeyCtes,
  repeatCurveSql,
  secondPurchaseSql,
  secondRateByFirstSql,
  type ItemColumn,
} from './purchases-sql.ts';

export interface JourneyParams {
  /** Group items by product or by category; category falls back to product when unmapped. */
  by: ItemColumn;
  /** How many items (or pairs) each list keeps, the most common first. Default 10. */
  top?: number;
  /** The last day of the repeat curve. Default 365. */
  horizonDays?: number;
}

export interface PurchaseJourney {
  /** The item column actually used (product when category was asked for but is unmapped). */
  by: ItemColumn;
  /** share = customers ÷ customers whose first order names any item. */
  topFirst: { item: string; customers: number; share: number }[];
  topSecond: { item: string; customers: number }[];
  /** Customers whose first order held `first` and whose second order held `second`. */
  addOns: { first: string; second: string; customers: number }[];
  /** rate = withSecond ÷ customers: of those who first bought the item, how many came back. */
  secondRateByFirst: { item: string; customers: number; withSecond: number; rate: number }[];
  /** Customers with a second order, by whole days from first to second order. */
  daysToSecond: { bucket: string; customers: number }[];
  /** Share of all customers with a second order within `day` days of their first. */
  repeatCurve: { day: number; share: number }[];
  /** Why the item column differs from the one asked for, or that no item is mapped. */
  note: string | null;
  /** Every statement that ran, as text, in the order it ran. */
  sql: {
    items: string;
    first: string;
    second: string;
    addOns: string;
    secondRate: string;
    daysToSecond: string;
    repeatCurve: string;
  };
}

/**
 * The purchase journey over the canonical `orders` view. Orders are distinct
 * order_ids timed at their earliest row; a first order with several items counts
 * each item once per customer, so the shares of `topFirst` can add up to more than 1.
 */
export async function purchaseJourney(
  engine: SqlEngine,
  { by, top = 10, horizonDays = 365 }: JourneyParams,
): Promise<PurchaseJourney> {
  checkItemColumn(by);
  checkTop(top);
  checkHorizon(horizonDays);
  const items = itemColumnsSql();
  const [probe] = await queryRows(engine, items);
  let used: ItemColumn = by;
  let note: string | null = null;
  if (by === 'category' && num(probe.categories) === 0) {
    used = 'product';
    note = 'No category is mapped, so items are grouped by product instead.';
  }
  if (used === 'product' && num(probe.products) === 0) {
    note = `${by === 'category' ? 'Neither category nor product' : 'No product'} is mapped, so there are no items to list; the timing of second orders is still shown.`;
  }
  const sql = {
    items,
    first: firstPurchaseSql({ by: used, top }),
    second: secondPurchaseSql({ by: used, top }),
    addOns: addOnsSql({ by: used, top }),
    secondRate: secondRateByFirstSql({ by: used, top }),
    daysToSecond: daysToSecondSql(),
    repeatCurve: repeatCurveSql({ horizonDays }),
  };
  const run = (text: string) => queryRows(engine, text);
  const topFirst = (await run(sql.first)).map((r) => ({
    item: String(r.item),
    customers: num(r.customers),
    share: num(r.share),
  }));
  const topSecond = (await run(sql.second)).map((r) => ({
    item: String(r.item),
    customers: num(r.customers),
  }));
  const addOns = (await run(sql.addOns)).map((r) => ({
    first: String(r.first),
    second: String(r.second),
    customers: num(r.customers),
  }));
  const secondRateByFirst = (await run(sql.secondRate)).map((r) => ({
    item: String(r.item),
    customers: num(r.customers),
    withSecond: num(r.with_second),
    rate: num(r.rate),
  }));
  const daysToSecond = (await run(sql.daysToSecond)).map((r) => ({
    bucket: String(r.bucket),
    customers: num(r.customers),
  }));
  const repeatCurve = (await run(sql.repeatCurve)).map((r) => ({
    day: num(r.day),
    share: num(r.share),
  }));
  return {
    by: used,
    topFirst,
    topSecond,
    addOns,
    secondRateByFirst,
    daysToSecond,
    repeatCurve,
    note,
    sql,
  };
}
