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
const programme = (name: string) => join(import.meta.dirname, '../fixtures/programme', name);

describe('retain lift (the hand-made programme fixture; figures worked out in lift-suite.ts)', () => {
  it('treatment against holdout per month: 6/10 vs 3/10, Wald and Welch intervals, sample size', async () => {
    const { code, json, err } = await run([
      'lift',
      programme('members.csv'),
      programme('orders.csv'),
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(json.groups).toEqual({ treatment: 10, holdout: 10, inBoth: 0, withoutStart: 0 });
    const [p1, p2] = json.periods;
    expect(json.periods).toHaveLength(2);
    expect([p1.treatment.retained, p1.holdout.retained, p2.treatment.retained]).toEqual([6, 3, 5]);
    // 0.3 ± 1.959964 · √0.045 → [−0.115771, 0.715771]
    expect(p1.retention.lower).toBeCloseTo(-0.115771, 5);
    expect(p1.retention.upper).toBeCloseTo(0.715771, 5);
    // 12 − 6 = 6, SE √28.8889 = 5.374838
    expect(p1.revenuePerCustomer.estimate).toBe(6);
    expect(p1.revenuePerCustomer.se).toBeCloseTo(5.374838, 5);
    expect(json.sampleSize.perGroup).toBe(1377);
    expect(json).not.toHaveProperty('sql');
  });

  it('--lift 0.1 → 356 per group; --definition in-or-after → 9/10 vs 5/10', async () => {
    const files = [programme('members.csv'), programme('orders.csv')];
    expect((await run(['lift', ...files, '--lift', '0.1'])).json.sampleSize.perGroup).toBe(356);
    const { json } = await run(['lift', ...files, '--definition', 'in-or-after']);
    expect([json.periods[0].treatment.retained, json.periods[0].holdout.retained]).toEqual([9, 5]);
  });

  it('bad usage exits 2 with the fix; no programme table is named; a missing file exits 1', async () => {
    const files = [programme('members.csv'), programme('orders.csv')];
    const bad = await run(['lift', ...files, '--lift', '5']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--lift must be an absolute lift in retention between 0 and 1/);
    expect((await run(['lift', ...files, '--period', 'week'])).err).toMatch(
      /--period must be month or quarter, not "week"/,
    );
    expect((await run(['lift', ...files, '--start', '2024-13-01'])).code).toBe(2);
    const noProgramme = await run(['lift', programme('orders.csv')]);
    expect(noProgramme.code).toBe(2);
    expect(noProgramme.err).toMatch(
      /no programme table was recognised; programme lift needs a programme membership table/,
    );
    const missing = await run(['lift', programme('nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/There is no file at/);
  });

  it('a group value the CLI cannot read: exit 1 with the values found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-lift-'));
    const members = join(dir, 'members.csv');
    await writeFile(
      members,
      'customer_id,group,start_date\nT01,treatment,2024-01-01\nH01,B,2024-01-01\n',
    );
    const r = await run(['lift', members, programme('orders.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no holdout group\. Group values found: “B” \(1 customer\), “treatment”/);
    const named = await run(['lift', members, programme('orders.csv'), '--holdout', 'B']);
    expect(named.code).toBe(0);
    expect(named.json.groups).toMatchObject({ treatment: 1, holdout: 1 });
  });
});

describe('retain forecast (Online Retail)', () => {
  const retail = () => join(inject('sharedData'), datasets.retailCsv);

  it('today’s churn and what-if rates: the recursion C_{t+1} = C_t·(1 − churn) + new', async () => {
    const { code, json, err } = await run([
      'forecast',
      retail(),
      '--window',
      '90',
      '--periods',
      '6',
      '--churn',
      '0.05,0.5',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(json.scenarios.map((s: { kind: string }) => s.kind)).toEqual([
      'current',
      'what-if',
      'what-if',
    ]);
    expect(json.scenarios[1].churnRate).toBe(0.05);
    // Each step follows the recursion with the printed inputs (checked from the JSON alone).
    const { customers, newPerPeriod } = json.inputs;
    const [first] = json.scenarios[1].periods;
    expect(first.customersAtStart).toBe(customers);
    expect(first.customersAtEnd).toBeCloseTo(customers * 0.95 + newPerPeriod, 8);
    expect(json.scenarios[1].periods).toHaveLength(6);
    // The data end in December 2011 (partial), so the forecast starts in December 2011.
    expect(json.basis.to.slice(0, 10)).toBe('2011-12-01');
    expect(json.scenarios[0].periods[0].start.slice(0, 10)).toBe('2011-12-01');
    // The current churn rate is the one `retain kpis` reports: Σ lost ÷ Σ customers at start
    // over the last 3 complete months with the same 90-day window.
    const kpis = await run(['kpis', retail(), '--window', '90']);
    const recent = kpis.json.periods
      .filter(
        (p: { partial: boolean; customersAtStart: number }) => !p.partial && p.customersAtStart > 0,
      )
      .slice(-3);
    const sum = (key: string) =>
      recent.reduce((s: number, p: Record<string, number>) => s + p[key], 0);
    expect(json.basis.churnRate).toBeCloseTo(sum('lost') / sum('customersAtStart'), 12);
    // A higher churn rate can only leave fewer customers.
    expect(json.scenarios[2].periods[5].customersAtEnd).toBeLessThan(
      json.scenarios[1].periods[5].customersAtEnd,
    );
  });

  it('refuses a churn rate given in percent, and an unknown period', async () => {
    const bad = await run(['forecast', retail(), '--churn', '5']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--churn takes what-if churn rates per month as fractions from 0 to 1/);
    expect((await run(['forecast', retail(), '--period', 'week'])).code).toBe(2);
    expect((await run(['forecast', retail(), '--new', '-3'])).err).toMatch(
      /--new must be a number/,
    );
  });
});
