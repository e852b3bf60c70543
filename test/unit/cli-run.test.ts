import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { NodeEngine } from '../../src/lib/engine/node.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import {
  clvArgs,
  cohortsArgs,
  forecastArgs,
  journeysArgs,
  kpisArgs,
  liftArgs,
  npsArgs,
  resolveParameterRefs,
  rfmArgs,
  segmentsArgs,
  survivalArgs,
} from '../../src/lib/notebook/analysis-params.ts';
import { overrideParameters } from '../../src/lib/notebook/runner.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import { datasets } from '../support/data.ts';

/**
 * `retain run` on the notebook fixture (markdown with a script, a date parameter,
 * two SQL cells, a chart, the KPI and RFM analyses and an analysis this version does
 * not know) over Online Retail. Expected figures are the clean subset's from
 * ../shared/data/online_retail/SOURCE.md: 4,338 customers, 18,532 invoices, revenue
 * 8,911,407.90; the CSV's size and SHA-256 are listed there too.
 */

const FIXTURE = resolve('test/fixtures/notebooks/retail-run.retain.json');
const retail = () => join(inject('sharedData'), datasets.retailCsv);

const cli = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, json: out.length ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
};
const tempDir = () => mkdtemp(join(tmpdir(), 'retain-run-'));
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
/** The CSV without its byte-order mark, as lines. */
const csvLines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);

describe('retain run: the fixture notebook over Online Retail', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    out = await tempDir();
    run = await cli(['run', FIXTURE, '--data', retail(), '--out', out]);
  }, 120_000);

  it('exits 0, says the mapping was proposed, and lists every cell and file', () => {
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(
      /holds no mapping, so the proposed one is used: online_retail as orders/,
    );
    expect(run.json.cells.map((c: { id: string }) => c.id)).toEqual([
      'md1',
      'sql1',
      'sql2',
      'chart1',
      'an1',
      'an2',
      'an3',
    ]);
    expect(run.json.failed).toBe(0);
    expect(run.json.cells.find((c: { id: string }) => c.id === 'an3').unsupported).toBe(true);
    expect(run.json.files).toEqual(
      expect.arrayContaining([
        'report.html',
        'totals.csv',
        'totals.parquet',
        'monthly.csv',
        'analysis-5-kpis.json',
        'analysis-6-rfm.json',
      ]),
    );
  });

  it('the SQL result CSV holds the clean subset’s figures (SOURCE.md)', async () => {
    expect(await csvLines(join(out, 'totals.csv'))).toEqual([
      'customers,orders,revenue',
      '4338,18532,8911407.9',
    ]);
    // 2010-12 … 2011-12: thirteen calendar months (SOURCE.md's date range).
    expect((await csvLines(join(out, 'monthly.csv'))).length).toBe(1 + 13);
  });

  it('writes the same result as Parquet', async () => {
    const engine = await NodeEngine.create();
    try {
      const [row] = toRows(
        await engine.query(
          `SELECT customers::DOUBLE AS customers, revenue::DOUBLE AS revenue FROM read_parquet(${literal(join(out, 'totals.parquet'))})`,
        ),
      );
      expect(row).toEqual({ customers: 4_338, revenue: 8_911_407.9 });
    } finally {
      await engine.close();
    }
  });

  it('the analyses’ JSON: KPIs of the clean subset, every customer in one RFM segment', async () => {
    const kpis = await readJson(join(out, 'analysis-5-kpis.json'));
    expect(kpis.customers).toBe(4_338);
    expect(kpis.orders).toBe(18_532);
    expect(Math.round(kpis.revenue * 100) / 100).toBe(8_911_407.9);
    // The cell's saved period (quarter): 2010-12 falls in the quarter starting 2010-10.
    expect(kpis.periods[0].start.slice(0, 7)).toBe('2010-10');
    expect(kpis.sql).toBeUndefined();
    const rfm = await readJson(join(out, 'analysis-6-rfm.json'));
    const total = rfm.segments.reduce((n: number, s: { customers: number }) => n + s.customers, 0);
    expect(total).toBe(4_338);
  });

  it('report.html: sanitised markdown, the chart, the tables, the unknown analysis and the provenance', async () => {
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<title>Online Retail run fixture</title>');
    const section = (id: string) =>
      html.slice(
        html.indexOf(`id="cell-${id}"`),
        html.indexOf('</section>', html.indexOf(`id="cell-${id}"`)),
      );
    expect(section('md1')).toContain('<h1>Run fixture</h1>');
    expect(section('md1')).toContain('<strong>clean subset</strong>');
    expect(html).not.toContain('alert(1)');
    expect(section('chart1')).toMatch(/<figure class="chart"><svg[^>]*>/);
    expect(section('chart1')).toContain('Revenue per month');
    expect(section('sql1')).toContain('<td class="num">4,338</td>');
    expect(section('an1')).toContain('<h2>Retention overview</h2>');
    expect(section('an3')).toContain(
      'This version of retain does not run the analysis &quot;crystal-ball&quot;',
    );
    // Provenance: the input's size and SHA-256 as SOURCE.md lists them.
    expect(html).toContain('959c8b3847939247e4007cbbd6dfcf3fdc78bc8236a08eba94565e15679914d8');
    expect(html).toContain('45.0 MiB'); // 47,226,068 B ÷ 1024² = 45.04
    expect(html).toContain('<dt>since</dt><dd>(empty)</dd>');
    const provenance = await readJson(join(out, 'provenance.json'));
    expect(provenance.inputs).toEqual([
      expect.objectContaining({
        file: 'online_retail.csv',
        table: 'online_retail',
        rows: 541_909,
        size: 47_226_068,
      }),
    ]);
  });
});

describe('retain run: parameters, the notebook’s mapping and DuckDB settings', () => {
  it('--param overrides a parameter: from 2012-01-01, after the last invoice (2011-12-09), nothing counts', async () => {
    const out = await tempDir();
    const { code, json, err } = await cli([
      'run',
      FIXTURE,
      '--data',
      retail(),
      '--out',
      out,
      '--param',
      'since=2012-01-01',
      '--no-parquet',
    ]);
    expect(code, err).toBe(0);
    expect(json.parameters).toEqual({ since: '2012-01-01' });
    expect(await csvLines(join(out, 'totals.csv'))).toEqual(['customers,orders,revenue', '0,0,']);
    expect((await readdir(out)).some((f) => f.endsWith('.parquet'))).toBe(false);
  }, 120_000);

  it('uses the mapping saved in the notebook, and passes --memory-limit and --threads to DuckDB', async () => {
    const dir = await tempDir();
    const mapping = (await cli(['mapping', retail()])).json.mapping;
    // Counting cancellations (negative amounts) must lower revenue below the clean subset's.
    mapping.tables[0].include.cancelled = true;
    const notebook = await readJson(FIXTURE);
    notebook.mapping = mapping;
    notebook.cells = [
      notebook.cells[1],
      {
        id: 'settings',
        kind: 'sql',
        name: 'settings',
        sql: "SELECT current_setting('memory_limit') AS memory_limit, current_setting('threads')::DOUBLE AS threads",
      },
    ];
    const file = join(dir, 'with-mapping.retain.json');
    await writeFile(file, JSON.stringify(notebook));
    const out = join(dir, 'out');
    const { code, err } = await cli([
      'run',
      file,
      '--data',
      retail(),
      '--out',
      out,
      '--memory-limit',
      '1GiB',
      '--threads',
      '1',
    ]);
    expect(code, err).toBe(0);
    expect(err).not.toMatch(/proposed/);
    const [, totals] = await csvLines(join(out, 'totals.csv'));
    expect(Number(totals.split(',')[2])).toBeLessThan(8_911_407.9);
    expect(await csvLines(join(out, 'settings.csv'))).toEqual([
      'memory_limit,threads',
      '1.0 GiB,1',
    ]);
  }, 120_000);
});

describe('retain run: bad input and bad usage', () => {
  it('a file that is not a notebook, or none at all, exits 1 and says why', async () => {
    const dir = await tempDir();
    const broken = join(dir, 'broken.retain.json');
    await writeFile(broken, '{"version": 1, "id": "x", "cells": "many"');
    let r = await cli(['run', broken, '--data', retail(), '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /broken\.retain\.json: This is not a Retain notebook: the text is not valid JSON/,
    );
    const newer = join(dir, 'newer.retain.json');
    await writeFile(newer, JSON.stringify({ ...(await readJson(FIXTURE)), version: 99 }));
    r = await cli(['run', newer, '--data', retail(), '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/made by a newer Retain \(format version 99\)/);
    r = await cli(['run', join(dir, 'missing.json'), '--data', retail()]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read the notebook .*missing\.json: there is no such file/);
  });

  it('unreadable data exits 1 with the file named', async () => {
    const dir = await tempDir();
    const r = await cli(['run', FIXTURE, '--data', join(dir, 'nope.csv'), '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nope\.csv: There is no file at/);
  });

  it('bad usage exits 2 with the problem and the usage', async () => {
    let r = await cli(['run', FIXTURE]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/name the data with --data/);
    r = await cli(['run', FIXTURE, '--data', retail(), '--memory-limit', 'lots']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--memory-limit takes a size such as 4GB/);
    r = await cli(['run', FIXTURE, '--data', retail(), '--param', 'until=2011-01-01']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no parameter "until"; its parameters are: since/);
    r = await cli(['run', FIXTURE, '--data', retail(), '--param', 'since=June']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/"since" is a date written YYYY-MM-DD/);
    r = await cli(['run', FIXTURE, '--data', retail(), '--frobnicate']);
    expect(r.code).toBe(2);
  });
});

describe('analysis params → arguments (the conversion the cells and the runner share)', () => {
  it('percentages in the forms become fractions; bad values fall back to the form’s defaults', () => {
    expect(kpisArgs({ period: 'quarter', marginPercent: 40, windowDays: 90 })).toEqual({
      period: 'quarter',
      windowDays: 90,
      margin: 0.4,
      lifespanYears: undefined,
    });
    expect(kpisArgs({ period: 'week', marginPercent: 400, windowDays: 0 })).toEqual({
      period: 'month',
      windowDays: null,
      margin: 1,
      lifespanYears: undefined,
    });
    expect(segmentsArgs({ discountPercent: 25 })).toEqual({
      discountShare: 0.25,
      categoryShare: 0.8,
      windowDays: null,
    });
    expect(rfmArgs({ asOf: '2011-12-10' }).asOf?.toISOString()).toBe('2011-12-10T00:00:00.000Z');
    expect(rfmArgs({ asOf: '10/12/2011' })).toEqual({});
    expect(cohortsArgs({ grain: 'quarter', sliceBy: '' })).toEqual({
      grain: 'quarter',
      basis: 'first_purchase',
    });
  });

  it('{ "$param": name } takes the notebook parameter’s value', () => {
    const parameters = [{ name: 'asof', type: 'date' as const, value: '2011-06-01' }];
    expect(
      resolveParameterRefs({ asOf: { $param: 'asof' }, x: [{ $param: 'gone' }] }, parameters),
    ).toEqual({
      asOf: '2011-06-01',
      x: [undefined],
    });
  });

  it('--param values are read by the parameter’s type', () => {
    const parameters = [
      { name: 'n', type: 'number' as const, value: 1 },
      { name: 'plan', type: 'choice' as const, value: 'a', options: ['a', 'b'] },
    ];
    expect(overrideParameters(parameters, { n: '2.5', plan: 'b' }).map((p) => p.value)).toEqual([
      2.5,
      'b',
    ]);
    expect(overrideParameters(parameters, { n: '' })[0].value).toBeNull();
    expect(() => overrideParameters(parameters, { n: 'x' })).toThrow(/"n" is a number; "x" is not/);
    expect(() => overrideParameters(parameters, { plan: 'c' })).toThrow(/one of: a, b/);
  });
});

/**
 * Every analysis cell of the app runs in `retain run` (issue 11): one fixture notebook
 * per dataset in test/fixtures/notebooks/. Expected figures are published ones (the
 * issue's Telco medians, Fader–Hardie–Lee 2005 for CDNOW) or the hand-computed ones of
 * the analyses' suites (test/shared/{lift,forecast,nps,journeys}-suite.ts).
 */
describe('retain run: the newer analysis cells (survival, clv, lift, forecast, nps, journeys)', () => {
  const notebook = (name: string) => resolve('test/fixtures/notebooks', name);
  const fixture = (path: string) => resolve('test/fixtures', path);
  const runTo = async (file: string, data: string[]) => {
    const out = await tempDir();
    const r = await cli(['run', notebook(file), '--data', ...data, '--out', out, '--no-parquet']);
    return { ...r, out };
  };

  it('survival over Telco by plan/contract: month-to-month median 35 months (95 % CI 32–38)', async () => {
    const r = await runTo('telco-survival.retain.json', [
      join(inject('sharedData'), datasets.telco),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.json.failed).toBe(0);
    const s = await readJson(join(r.out, 'analysis-1-survival.json'));
    // The saved unit "week" is not sent for tenure data, as the cell does: tenure is in months.
    expect([s.source, s.unit, s.n, s.events]).toEqual(['tenure', 'month', 7043, 1869]);
    const groups = s.groups.map((g: { group: string; n: number }) => [g.group, g.n]);
    expect(groups).toEqual([
      ['Month-to-month', 3875],
      ['One year', 1473],
      ['Two year', 1695],
    ]);
    // The reference figures: median 35 months, 95 % CI 32–38.
    expect(s.groups[0].median).toEqual({ time: 35, lower: 32, upper: 38 });
    const html = await readFile(join(r.out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Survival (time to churn)</h2>');
    expect(html).not.toContain('does not run the analysis');
  }, 120_000);

  it('clv over the CDNOW sample, weeks, calibration to 1997-09-30: FHL 2005’s r, α, a, b', async () => {
    // The sample has no header: column1 is the sample id, column2 the day, column4 the amount
    // (the notebook's mapping, as test/shared/clv-suite.ts maps it).
    const r = await runTo('cdnow-clv.retain.json', [
      join(inject('sharedData'), datasets.cdnowSample),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.json.failed).toBe(0);
    const c = await readJson(join(r.out, 'analysis-1-clv.json'));
    expect(c.inputs.unit).toBe('week'); // the cell's default unit
    expect(c.usable).toBe(true);
    // Published to 3 decimals: ± 0.001 (α and b, larger, ± 0.005).
    expect(Math.abs(c.bgnbd.r - 0.243)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(c.bgnbd.alpha - 4.414)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(c.bgnbd.a - 0.793)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(c.bgnbd.b - 2.426)).toBeLessThanOrEqual(0.005);
    expect(c.totals.customers).toBe(2357);
    // SOURCE.md: 1,882 repeat purchases in the 39-week holdout.
    expect(c.holdout.totalActual).toBe(1882);
    const html = await readFile(join(r.out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Customer future value (BG/NBD)</h2>');
  }, 180_000);

  it('lift over the programme fixture: 6/10 against 3/10, and 356 per group for a 10-point lift', async () => {
    const r = await runTo('programme-lift.retain.json', [
      fixture('programme/members.csv'),
      fixture('programme/orders.csv'),
    ]);
    expect(r.code, r.err).toBe(0);
    const l = await readJson(join(r.out, 'analysis-1-lift.json'));
    expect(l.groups).toEqual({ treatment: 10, holdout: 10, inBoth: 0, withoutStart: 0 });
    const retained = l.periods.map(
      (p: { treatment: { retained: number }; holdout: { retained: number } }) => [
        p.treatment.retained,
        p.holdout.retained,
      ],
    );
    expect(retained).toEqual([
      [6, 3],
      [5, 2],
    ]);
    // liftPoints 10 (percentage points in the form) → 0.1; lift-suite.ts: p₁ 0.3, p₂ 0.4 → 356.
    expect(l.sampleSize).toMatchObject({ lift: 0.1, perGroup: 356 });
  }, 120_000);

  it('forecast: the window and the what-if worked out by hand; unreadable rates fail that cell only', async () => {
    const r = await runTo('forecast-run.retain.json', [fixture('notebooks/forecast-orders.csv')]);
    // A failed cell makes the run exit 1, but the cells that ran still write their JSON.
    expect(r.code, r.err).toBe(1);
    const f = await readJson(join(r.out, 'analysis-1-forecast.json'));
    // forecast-orders.csv is forecast-suite.ts's table. The cell has no window field, so the
    // window is suggested: gaps between purchase days A 31, 29, 31; B 26; C 34, 26 → sorted
    // 26 26 29 31 31 34; 90th percentile at (6 − 1)·0.9 = 4.5 → 31 + 0.5·3 = 32.5 → 33 days.
    expect(f.windowDays).toBe(33);
    // Active at 1 April = an order in the 33 days before: A 03-10, C 03-25, D 03-05 → C₀ = 3.
    expect(f.basis.customers).toBe(3);
    // Feb: 3 active at the start (Z, A, B), Z lost; Mar: A, B, C, B lost → churn 2 ÷ 6 = 1/3.
    // New per period 2 (saved): C₁ = 3·(2/3) + 2 = 4, C₂ = 4·(2/3) + 2 = 4.6667.
    const [current, whatIf] = f.scenarios;
    expect(current.churnRate).toBeCloseTo(1 / 3, 10);
    expect(current.periods[0].customersAtEnd).toBeCloseTo(4, 10);
    expect(current.periods[1].customersAtEnd).toBeCloseTo(14 / 3, 10);
    // What-if "100" (percent) → churn 1: C₁ = 3·0 + 2 = 2, C₂ = 2·0 + 2 = 2.
    expect(whatIf.churnRate).toBe(1);
    expect(whatIf.periods.map((p: { customersAtEnd: number }) => p.customersAtEnd)).toEqual([2, 2]);
    expect(r.json.failed).toBe(1);
    expect(r.err).toMatch(
      /cell fc2 \(forecast\) failed: The what-if churn rates "3, lots" are not percentages from 0 to 100/,
    );
  }, 120_000);

  it('nps and journeys over the feedback and events fixtures (nps-suite.ts, journeys-suite.ts)', async () => {
    const r = await runTo('feedback-nps-journeys.retain.json', [
      fixture('feedback/customers.csv'),
      fixture('feedback/nps_responses.csv'),
      fixture('events/app_events.csv'),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.json.failed).toBe(0);
    const n = await readJson(join(r.out, 'analysis-1-nps.json'));
    // 5 promoters and 14 detractors of 22 answers; 13 answers in Q1, 9 in Q2.
    expect([n.overall.responses, n.overall.promoters, n.overall.detractors]).toEqual([22, 5, 14]);
    expect(
      n.periods.map((p: { period: string; responses: number }) => [p.period, p.responses]),
    ).toEqual([
      ['2024-Q1', 13],
      ['2024-Q2', 9],
    ]);
    expect(
      n.segments.rows.map((s: { segment: string; promoters: number }) => [s.segment, s.promoters]),
    ).toEqual([
      ['Basic', 2],
      ['Pro', 3],
    ]);
    const paths = (j: { paths: { path: string; customers: number; churned: number }[] }) =>
      j.paths.map((p) => [p.path, p.customers, p.churned]);
    // The cell's defaults: 4 steps, events reached by < 2 % grouped (referral, 1 of 10, is not).
    const four = await readJson(join(r.out, 'analysis-2-journeys.json'));
    expect([four.steps, four.customers, four.churned, four.groupedEvents]).toEqual([4, 10, 5, 0]);
    expect(paths(four)).toEqual([
      ['signup → login → purchase → login', 3, 0], // C02 C04 C08
      ['signup → login → support_ticket → downgrade', 3, 3], // C01 C03 C10
      ['signup → login → purchase', 1, 0], // C09
      ['signup → login → purchase → referral', 1, 0], // C06
      ['signup → login → support_ticket → login', 1, 1], // C05
      ['signup → support_ticket → downgrade', 1, 1], // C07
    ]);
    const two = await readJson(join(r.out, 'analysis-3-journeys.json'));
    expect(paths(two)).toEqual([
      ['signup → login', 9, 4],
      ['signup → support_ticket', 1, 1],
    ]);
  }, 120_000);
});

describe('the newer cells’ params → arguments, defaults as the cells have them', () => {
  it('survival: tenure takes no unit; bad values fall back to auto, no grouping, months, 90 days', () => {
    expect(survivalArgs({ by: 'plan', unit: 'week' }, 'tenure')).toEqual({
      source: 'auto',
      by: 'plan',
      unit: undefined,
      windowDays: 90,
    });
    expect(
      survivalArgs({ source: 'magic', by: '', unit: 'hour', windowDays: 30 }, 'orders'),
    ).toEqual({
      source: 'auto',
      by: null,
      unit: 'month',
      windowDays: 30,
    });
  });

  it('clv: weeks, a year ahead (365.25 ÷ 7 → 52 weeks, ÷ 30.4375 → 12 months), margin 1, 10 % a year', () => {
    expect(clvArgs({})).toEqual({
      params: { unit: 'week', calibrationEnd: undefined },
      options: { horizon: 52, margin: 1, annualDiscount: 0.1 },
    });
    const month = clvArgs({ unit: 'month', calibrationEnd: '1997-09-30', discount: 0 });
    expect(month.options).toEqual({ horizon: 12, margin: 1, annualDiscount: 0 });
    expect(month.params.calibrationEnd?.toISOString()).toBe('1997-09-30T00:00:00.000Z');
  });

  it('lift and forecast: percentages in the forms become fractions', () => {
    expect(liftArgs({ liftPoints: 2.5, period: 'week', programme: '' })).toMatchObject({
      period: 'month',
      definition: 'in-period',
      lift: 0.025,
      programme: undefined,
    });
    expect(liftArgs({}).lift).toBe(0.05);
    expect(forecastArgs({ whatIf: '3; 2.5 10' })).toEqual({
      period: 'month',
      periods: 12,
      whatIf: [0.03, 0.025, 0.1],
      newPerPeriod: undefined,
    });
    expect(forecastArgs({}).whatIf).toEqual([]);
    expect(forecastArgs({ whatIf: '3, 120' }).whatIf).toBeNull();
  });

  it('nps and journeys: the cells’ defaults (month, score 6, 90 days; 4 steps, 2 %)', () => {
    expect(npsArgs({ by: 'plan', cutoff: 'June' })).toEqual({
      period: 'month',
      by: 'plan',
      negative: 6,
      windowDays: 90,
      cutoff: undefined,
    });
    expect(journeysArgs({ steps: 2, cutoff: '2024-06-01' })).toEqual({
      steps: 2,
      minShare: 0.02,
      windowDays: 90,
      cutoff: new Date('2024-06-01T00:00:00Z'),
    });
  });
});
