/**
 * Acquisition versus retention economics: how much one returning customer is worth
 * compared with one-time buyers, when acquisition cost is paid on the first purchase only.
 * A worked example in DOMAIN.md ("Acquisition versus retention economics"): price $80,
 * margin 50 %, CAC $25 → first-purchase profit $15, cumulative $55 after two purchases,
 * $95 after three; 4 and 7 new customers needed to match them.
 */

export interface UnitEconomicsInput {
  /** Price of one purchase (average order value), > 0. */
  price: number;
  /** Gross margin as a fraction, 0–1 (0.5 = 50 %). */
  grossMargin: number;
  /** Customer acquisition cost, ≥ 0, paid on the first purchase only. */
  cac: number;
  /** How many purchases to tabulate, an integer 1–50. */
  purchases: number;
}

export interface UnitEconomicsRow {
  /** Purchase number n, from 1. */
  purchase: number;
  /** price × grossMargin: the gross profit of this purchase before acquisition cost. */
  grossProfit: number;
  /** The CAC on purchase 1, 0 afterwards. */
  acquisitionCost: number;
  /** grossProfit − acquisitionCost: what this purchase adds to the customer's profit. */
  profit: number;
  /** n × price × grossMargin − cac: the customer's profit after n purchases. */
  cumulativeProfit: number;
  /**
   * ceil(cumulativeProfit(n) / cumulativeProfit(1)): how many new customers, each making
   * only a first purchase, match one customer who buys n times. Null when the first
   * purchase makes no profit (see `breakEvenNote`).
   */
  breakEvenNewCustomers: number | null;
}

export interface UnitEconomicsTable {
  rows: UnitEconomicsRow[];
  /** cumulativeProfit(1) = price × grossMargin − cac. */
  firstPurchaseProfit: number;
  /** Why break-even counts are null, or null when they are given. */
  breakEvenNote: string | null;
}

/** Money is rounded to this many decimals so that binary floating point noise disappears. */
const MONEY_DECIMALS = 9;
/** A ratio within this of an integer counts as that integer, so 55/15·3 does not round up. */
const RATIO_TOLERANCE = 1e-9;

const roundMoney = (x: number): number => {
  const r = Number(x.toFixed(MONEY_DECIMALS));
  return r === 0 ? 0 : r; // no −0
};

function check(ok: boolean, field: keyof UnitEconomicsInput, rule: string, value: number): void {
  if (!ok) throw new Error(`Unit economics: ${field} must be ${rule} (got ${value}).`);
}

function validate({ price, grossMargin, cac, purchases }: UnitEconomicsInput): void {
  check(Number.isFinite(price) && price > 0, 'price', 'a finite number above 0', price);
  check(
    Number.isFinite(grossMargin) && grossMargin >= 0 && grossMargin <= 1,
    'grossMargin',
    'a fraction between 0 and 1',
    grossMargin,
  );
  check(Number.isFinite(cac) && cac >= 0, 'cac', 'a finite number of 0 or more', cac);
  check(
    Number.isInteger(purchases) && purchases >= 1 && purchases <= 50,
    'purchases',
    'a whole number from 1 to 50',
    purchases,
  );
}

/**
 * The per-purchase profit table and break-even counts.
 *
 * - gross profit per purchase g = price × grossMargin
 * - cumulative profit after n purchases C(n) = n × g − cac
 * - break-even new customers B(n) = ceil(C(n) / C(1)), defined only when C(1) > 0:
 *   if the first purchase loses money, no number of one-time buyers matches a
 *   returning customer, so B(n) is null and `breakEvenNote` says why.
 *
 * Money is rounded to 9 decimals and ratios within 1e-9 of an integer are taken as
 * that integer, so hand-computable inputs give hand-computed answers.
 * Throws an Error naming the field when an input is out of range.
 */
export function unitEconomics(input: UnitEconomicsInput): UnitEconomicsTable {
  validate(input);
  const { price, grossMargin, cac, purchases } = input;
  const grossProfit = roundMoney(price * grossMargin);
  const firstPurchaseProfit = roundMoney(grossProfit - cac);
  const breakEvenNote =
    firstPurchaseProfit > 0
      ? null
      : `The first purchase ${firstPurchaseProfit === 0 ? 'only breaks even' : 'loses money'} ` +
        `(gross profit ${grossProfit} − acquisition cost ${cac} = ${firstPurchaseProfit}), ` +
        'so no number of one-time buyers can match a returning customer.';

  const rows: UnitEconomicsRow[] = [];
  for (let n = 1; n <= purchases; n++) {
    const acquisitionCost = n === 1 ? cac : 0;
    const cumulativeProfit = roundMoney(n * grossProfit - cac);
    rows.push({
      purchase: n,
      grossProfit,
      acquisitionCost,
      profit: roundMoney(grossProfit - acquisitionCost),
      cumulativeProfit,
      breakEvenNewCustomers:
        breakEvenNote === null
          ? Math.ceil(cumulativeProfit / firstPurchaseProfit - RATIO_TOLERANCE)
          : null,
    });
  }
  return { rows, firstPurchaseProfit, breakEvenNote };
}
