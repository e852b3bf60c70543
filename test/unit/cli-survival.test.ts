import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { datasets } from '../support/data.ts';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, json: out.length ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
};
const telco = () => join(inject('sharedData'), datasets.telco);

interface Group {
  group: string;
  n: number;
  median: number | null;
  median_lower: number | null;
  median_upper: number | null;
  survival_at: Record<string, { survival: number } | null>;
}

describe('retain survival', () => {
  it('Telco by contract: the published medians and survival (issue 7, SOURCE.md)', async () => {
    const { code, json } = await run(['survival', telco(), '--by', 'plan']);
    expect(code).toBe(0);
    expect(json.source).toBe('tenure');
    expect([json.n, json.events]).toEqual([7043, 1869]);
    const groups = json.groups as Group[];
    expect(groups.map((g) => [g.group, g.n])).toEqual([
      ['Month-to-month', 3875],
      ['One year', 1473],
      ['Two year', 1695],
    ]);
    // The issue: month-to-month median 35 months (95 % CI 32–38)
    const m2m = groups[0];
    expect([m2m.median, m2m.median_lower, m2m.median_upper]).toEqual([35, 32, 38]);
    expect(json.log_rank.df).toBe(2);
    expect(json.times).toEqual([12, 24, 36, 48, 60, 72]);
  });

  it('Telco overall: survival at 72 months 0.593 (the issue)', async () => {
    const { code, json } = await run(['survival', telco()]);
    expect(code).toBe(0);
    expect(json.groups).toHaveLength(1);
    expect(json.groups[0].survival_at['72'].survival).toBeCloseTo(0.593, 3);
    expect(json.log_rank).toBeNull();
  });

  it('orders with --window: churned W days after the last purchase, the rest censored', async () => {
    // Data end 2024-04-30. W = 30:
    //   p 01-01, 01-20 → 101 days idle: churned, 19 + 30 = 49
    //   q 01-01        → churned, 0 + 30 = 30
    //   r 02-01, 04-20 → 10 days idle: censored at 02-01 → 04-30 = 89
    //   t 04-30        → censored at 0
    // KM: t0 n4 c1 → 1; t30 n3 d1 → 2/3; t49 n2 d1 → 1/3; t89 c → 1/3; median 49
    const dir = await mkdtemp(join(tmpdir(), 'retain-survival-'));
    const file = join(dir, 'orders.csv');
    await writeFile(
      file,
      [
        'customer_id,order_id,order_date,amount',
        'p,p1,2024-01-01,10',
        'p,p2,2024-01-20,10',
        'q,q1,2024-01-01,10',
        'r,r1,2024-02-01,10',
        'r,r2,2024-04-20,10',
        't,t1,2024-04-30,10',
      ].join('\n'),
    );
    const { code, json, err } = await run(['survival', file, '--window', '30', '--unit', 'day']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(json.source).toBe('orders');
    expect(json.window_days).toBe(30);
    expect(json.data_end).toBe('2024-04-30');
    const [all] = json.groups;
    expect(all.curve.map((p: { time: number; at_risk: number }) => [p.time, p.at_risk])).toEqual([
      [0, 4],
      [30, 3],
      [49, 2],
      [89, 1],
    ]);
    expect(all.curve[2].survival).toBeCloseTo(1 / 3, 10);
    expect(all.median).toBe(49);
  });

  it('bad usage exits 2 with the reason; an unreadable file exits 1', async () => {
    const source = await run(['survival', telco(), '--source', 'events']);
    expect(source.code).toBe(2);
    expect(source.err).toMatch(/--source must be auto, subscriptions, tenure or orders/);
    expect((await run(['survival', telco(), '--window', '0'])).err).toMatch(
      /--window must be a whole number of days/,
    );
    expect((await run(['survival', telco(), '--unit', 'year'])).code).toBe(2);
    // Tenure is in months: weeks are refused, saying why
    const weeks = await run(['survival', telco(), '--unit', 'week']);
    expect(weeks.code).toBe(2);
    expect(weeks.err).toMatch(/tenure in months/);
    // A split the data cannot make names what it can
    const by = await run(['survival', telco(), '--by', 'first_channel']);
    expect(by.code).toBe(2);
    expect(by.err).toMatch(/cannot be split by first_channel: choose one of plan/);
    expect((await run(['survival'])).code).toBe(2);
    expect((await run(['survival', telco(), '--color', 'red'])).code).toBe(2);
    const missing = await run(['survival', join(tmpdir(), 'no-such-file.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^retain survival: /);
  });
});
