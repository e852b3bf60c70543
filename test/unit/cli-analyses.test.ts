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
const retail = () => join(inject('sharedData'), datasets.retailCsv);

describe('retain kpis / quality / mapping (Online Retail; figures from its SOURCE.md)', () => {
  it('kpis: the clean subset’s customers, invoices and revenue, the same as the app', async () => {
    const { code, json } = await run(['kpis', retail(), '--period', 'quarter']);
    expect(code).toBe(0);
    expect(json.customers).toBe(4_338);
    expect(json.orders).toBe(18_532);
    expect(Math.round(json.revenue * 100) / 100).toBe(8_911_407.9);
    expect(json.periods.map((p: { start: string }) => p.start.slice(0, 7))).toEqual([
      '2010-10',
      '2011-01',
      '2011-04',
      '2011-07',
      '2011-10',
    ]);
    expect(json.periods.at(-1).partial).toBe(true);
  });

  it('mapping → edit → kpis --mapping: the saved mapping drives the numbers', async () => {
    const { json } = await run(['mapping', retail()]);
    const mapping = json.mapping;
    mapping.tables[0].include.cancelled = true;
    const dir = await mkdtemp(join(tmpdir(), 'retain-cli-'));
    const file = join(dir, 'mapping.json');
    await writeFile(file, JSON.stringify(mapping));
    const { code, json: kpis } = await run(['kpis', retail(), '--mapping', file, '--window', '90']);
    expect(code).toBe(0);
    // Cancellations now count (negative amounts), so revenue drops below the clean subset's.
    expect(kpis.revenue).toBeLessThan(8_911_407.9);
    expect(kpis.churn.windowDays).toBe(90);
  });

  it('quality: exclusions counted, with the data gaps', async () => {
    const { code, json } = await run(['quality', retail(), '--as-of', '2012-01-01']);
    expect(code).toBe(0);
    const [report] = json.reports;
    expect(report.raw.rows).toBe(541_909);
    expect(report.orders.exclusions.missing_customer).toBe(135_080);
    expect(report.orders.counted).toBe(397_884);
    expect(json.gaps.map((g: { id: string }) => g.id)).toContain('nps');
  });

  it('refuses bad options and a mapping for other files', async () => {
    expect((await run(['kpis', retail(), '--period', 'week'])).code).toBe(2);
    expect((await run(['kpis', retail(), '--margin', '50'])).err).toMatch(
      /--margin must be a fraction/,
    );
    expect((await run(['kpis', retail(), '--frobnicate', '1'])).code).toBe(2);
    const dir = await mkdtemp(join(tmpdir(), 'retain-cli-'));
    const file = join(dir, 'other.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        tables: [
          {
            source: 'elsewhere',
            kind: 'orders',
            columns: {},
            parse: {},
            include: {},
            attributes: [],
          },
        ],
        currency: 'GBP',
        timeZone: 'UTC',
      }),
    );
    const other = await run(['kpis', retail(), '--mapping', file]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/refers to table\(s\) elsewhere/);
  });
});

describe('retain cohorts / rfm / segments / purchases / summary', () => {
  it('cohorts: the December 2010 cohort has 885 customers; all cohorts hold the 4,338', async () => {
    const { code, json } = await run(['cohorts', retail()]);
    expect(code).toBe(0);
    const december = json.cohorts.find((c: { cohort: string }) => c.cohort.startsWith('2010-12'));
    expect(december.size).toBe(885);
    expect(json.cohorts.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(4_338);
  });

  it('rfm: the segments partition the customers; --segment lists one segment', async () => {
    const { json } = await run(['rfm', retail()]);
    const total = json.segments.reduce((n: number, s: { customers: number }) => n + s.customers, 0);
    expect(total).toBe(4_338);
    const champions = json.segments.find(
      (s: { segment: string }) => s.segment === 'Champions',
    ).customers;
    const list = await run(['rfm', retail(), '--segment', 'champions']);
    expect(list.json.customers).toHaveLength(champions);
    expect((await run(['rfm', retail(), '--segment', 'VIPs'])).code).toBe(2);
  });

  it('segments and purchases run and explain what the data lacks', async () => {
    const segments = await run(['segments', retail(), '--window', '90']);
    expect(segments.code).toBe(0);
    expect(
      segments.json.segments.find((s: { segment: string }) => s.segment === 'value_seekers')
        ?.available,
    ).toBe(false);
    const purchases = await run(['purchases', retail(), '--top', '5']);
    expect(purchases.code).toBe(0);
    expect(purchases.json.topFirst).toHaveLength(5);
  });

  it('summary: CDNOW sample in weeks matches cdnow_customers_summary.csv (customer 1: 2, 30.43, 38.86)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-cli-'));
    const mapping = join(dir, 'cdnow.json');
    await writeFile(
      mapping,
      JSON.stringify({
        version: 1,
        currency: 'USD',
        timeZone: 'UTC',
        tables: [
          {
            source: 'cdnow_sample',
            kind: 'orders',
            columns: { customer_id: 'column1', order_ts: 'column2', amount: 'column4' },
            parse: { order_ts: { date: '%Y%m%d' } },
            amount: 'column',
            include: { cancelled: false, nonPositive: true, duplicates: true },
            attributes: [],
          },
        ],
      }),
    );
    const sample = join(inject('sharedData'), datasets.cdnowSample);
    const { code, json } = await run([
      'summary',
      sample,
      '--mapping',
      mapping,
      '--calibration-end',
      '1997-09-30',
    ]);
    expect(code).toBe(0);
    expect(json.customers).toBe(2_357);
    const first = json.rows.find((r: { customer_id: string }) => r.customer_id === '0001');
    expect(first.x).toBe(2);
    expect(first.t_x).toBeCloseTo(30.43, 2);
    expect(first.T).toBeCloseTo(38.86, 2);
  });
});
