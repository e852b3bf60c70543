import { describe, expect, it } from 'vitest';
import { unitEconomics } from '../../../src/lib/analyses/unit-economics.ts';

const column = <K extends keyof ReturnType<typeof unitEconomics>['rows'][number]>(
  table: ReturnType<typeof unitEconomics>,
  key: K,
) => table.rows.map((r) => r[key]);

describe('unitEconomics', () => {
  it('reproduces the DOMAIN.md worked example ($80, 50 %, CAC $25)', () => {
    // DOMAIN.md: profit $15 on the first purchase, $55 after two, $95 after three;
    // 4 (55/15 rounded up) and 7 new customers to match two and three purchases.
    const t = unitEconomics({ price: 80, grossMargin: 0.5, cac: 25, purchases: 3 });
    expect(t.firstPurchaseProfit).toBe(15);
    expect(t.breakEvenNote).toBeNull();
    expect(t.rows).toEqual([
      {
        purchase: 1,
        grossProfit: 40,
        acquisitionCost: 25,
        profit: 15,
        cumulativeProfit: 15,
        breakEvenNewCustomers: 1,
      },
      {
        purchase: 2,
        grossProfit: 40,
        acquisitionCost: 0,
        profit: 40,
        cumulativeProfit: 55,
        breakEvenNewCustomers: 4,
      },
      {
        purchase: 3,
        grossProfit: 40,
        acquisitionCost: 0,
        profit: 40,
        cumulativeProfit: 95,
        breakEvenNewCustomers: 7,
      },
    ]);
  });

  it('continues the example: 135/15 = 9 exactly, 175/15 → 12', () => {
    const t = unitEconomics({ price: 80, grossMargin: 0.5, cac: 25, purchases: 5 });
    expect(column(t, 'cumulativeProfit')).toEqual([15, 55, 95, 135, 175]);
    expect(column(t, 'breakEvenNewCustomers')).toEqual([1, 4, 7, 9, 12]);
  });

  it('with no acquisition cost, n one-time buyers match one n-time buyer', () => {
    // Awkward decimals: 19.99 * 0.3 gives 5.996999999999999 in binary floating point, and
    // a plain ceil(n·g / g) then answers n + 1 for 4 of these 50 rows.
    const t = unitEconomics({ price: 19.99, grossMargin: 0.3, cac: 0, purchases: 50 });
    expect(t.rows[0].cumulativeProfit).toBe(5.997);
    expect(column(t, 'breakEvenNewCustomers')).toEqual(t.rows.map((r) => r.purchase));
  });

  it('rounds ratios up to whole customers (hand-computed, CAC $1)', () => {
    // $10 × 30 % = $3 a purchase, CAC $1:
    // C(1) = 2, C(2) = 5, C(3) = 8, C(4) = 11, C(5) = 14 → 1, 3 (2.5), 4, 6 (5.5), 7.
    const t = unitEconomics({ price: 10, grossMargin: 0.3, cac: 1, purchases: 5 });
    expect(column(t, 'grossProfit')).toEqual([3, 3, 3, 3, 3]);
    expect(column(t, 'cumulativeProfit')).toEqual([2, 5, 8, 11, 14]);
    expect(column(t, 'breakEvenNewCustomers')).toEqual([1, 3, 4, 6, 7]);
  });

  it('gives no break-even count, with a reason, when the first purchase loses money', () => {
    // $20 × 50 % = $10 gross profit, CAC $15: −5 on the first purchase, then 5, 15.
    const t = unitEconomics({ price: 20, grossMargin: 0.5, cac: 15, purchases: 3 });
    expect(t.firstPurchaseProfit).toBe(-5);
    expect(column(t, 'cumulativeProfit')).toEqual([-5, 5, 15]);
    expect(column(t, 'breakEvenNewCustomers')).toEqual([null, null, null]);
    expect(t.breakEvenNote).toMatch(/loses money.*no number of one-time buyers/);
  });

  it('gives no break-even count when the first purchase only breaks even', () => {
    const t = unitEconomics({ price: 50, grossMargin: 0.4, cac: 20, purchases: 2 });
    expect(column(t, 'cumulativeProfit')).toEqual([0, 20]);
    expect(column(t, 'breakEvenNewCustomers')).toEqual([null, null]);
    expect(t.breakEvenNote).toMatch(/only breaks even/);
  });

  it('accepts the edges of the valid ranges', () => {
    expect(unitEconomics({ price: 1, grossMargin: 0, cac: 0, purchases: 1 }).rows).toHaveLength(1);
    expect(
      unitEconomics({ price: 1, grossMargin: 1, cac: 0, purchases: 50 }).rows[49],
    ).toMatchObject({ cumulativeProfit: 50, breakEvenNewCustomers: 50 });
  });

  const valid = { price: 80, grossMargin: 0.5, cac: 25, purchases: 5 };
  it.each([
    ['price', 0],
    ['price', -10],
    ['price', Number.NaN],
    ['price', Number.POSITIVE_INFINITY],
    ['grossMargin', -0.1],
    ['grossMargin', 1.5],
    ['grossMargin', Number.NaN],
    ['cac', -1],
    ['cac', Number.POSITIVE_INFINITY],
    ['purchases', 0],
    ['purchases', 51],
    ['purchases', 2.5],
    ['purchases', Number.NaN],
  ])('rejects %s = %s with an error naming the field', (field, value) => {
    expect(() => unitEconomics({ ...valid, [field]: value })).toThrow(
      new RegExp(`^Unit economics: ${field} must be`),
    );
  });
});
