import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { datasets } from '../support/data.ts';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, json: out.length ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
};

describe('retain clv (CDNOW sample; reference figures from FHL 2005 and ../shared/data/cdnow/SOURCE.md)', () => {
  let dir: string;
  let mapping: string;
  const sample = () => join(inject('sharedData'), datasets.cdnowSample);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'retain-clv-'));
    mapping = join(dir, 'cdnow.json');
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
            // column1 is the sample id; $0.00 rows still time a purchase (SOURCE.md)
            columns: { customer_id: 'column1', order_ts: 'column2', amount: 'column4' },
            parse: { order_ts: { date: '%Y%m%d' } },
            amount: 'column',
            include: { cancelled: false, nonPositive: true, duplicates: true },
            attributes: [],
          },
        ],
      }),
    );
  });

  it('prints the published BG/NBD and Gamma-Gamma estimates and writes every customer to --customers', async () => {
    const csv = join(dir, 'clv.csv');
    const { code, json, err } = await run([
      'clv',
      sample(),
      '--mapping',
      mapping,
      '--calibration-end',
      '1997-09-30',
      '--unit',
      'week',
      '--horizon',
      '39',
      '--margin',
      '1',
      '--discount',
      '0',
      '--customers',
      csv,
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    // FHL 2005: r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4 (± 0.001, α and b ± 0.005, LL ± 0.1)
    expect(Math.abs(json.r - 0.243)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(json.alpha - 4.414)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(json.a - 0.793)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(json.b - 2.426)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(json.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    // Fader & Hardie 2013 on the 946 repeat customers: p 6.25, q 3.74, γ 15.44
    expect(json.spendCustomers).toBe(946);
    expect(Math.abs(json.p - 6.25)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(json.q - 3.74)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(json.gamma - 15.44)).toBeLessThanOrEqual(0.02);
    expect(json).toMatchObject({
      customers: 2357,
      converged: true,
      identified: true,
      usable: true,
      message: null,
      unit: 'week',
      calibrationEnd: '1997-09-30',
      dataEnd: '1998-06-30',
      holdoutLength: 39,
      horizon: 39,
    });
    // SOURCE.md: 1,882 day-collapsed repeat purchases in the 39 holdout weeks
    expect(json.holdout.totalActual).toBe(1882);
    expect(json.top).toHaveLength(10);
    const lines = (await readFile(csv, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe(
      'customer_id,source,cohort,x,t_x,T,zbar,p_alive,expected_purchases,expected_spend,clv,holdout_purchases',
    );
    expect(lines).toHaveLength(2358);
    // customer 0001 (x 2, t_x 30.43, T 38.86) expects 1.226 purchases in the next 39 weeks (FHL 2005)
    const first = lines.find((l) => l.startsWith('0001,'))!.split(',');
    expect(Math.abs(Number(first[8]) - 1.226)).toBeLessThanOrEqual(0.001);
  });

  it('bad usage exits 2 with the option and an example', async () => {
    const cases: [string[], RegExp][] = [
      [['--unit', 'year'], /--unit must be day, week or month/],
      [['--calibration-end', '30/09/1997'], /--calibration-end must be a date such as 1997-09-30/],
      [['--horizon', '2.5'], /--horizon must be a whole number/],
      [['--margin', '30'], /--margin must be a fraction from 0 to 1/],
      [['--discount', 'ten'], /--discount must be a number/],
      [['--calibration-end', '1999-01-01'], /after the last order \(1998-06-30\)/],
      [['--colour', 'red'], /unknown option --colour/],
    ];
    for (const [flags, message] of cases) {
      const { code, err, json } = await run(['clv', sample(), '--mapping', mapping, ...flags]);
      expect(code, flags.join(' ')).toBe(2);
      expect(err).toMatch(message);
      expect(json).toBeUndefined();
    }
    const none = await run(['clv']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/name at least one file/);
  });

  it('an unreadable file exits 1 naming it', async () => {
    const { code, err } = await run(['clv', join(dir, 'missing.csv')]);
    expect(code).toBe(1);
    expect(err).toMatch(/missing\.csv/);
  });

  it('when nobody repeats it says the model is not identified and prints no parameters', async () => {
    const file = join(dir, 'once.csv');
    await writeFile(
      file,
      'order_id,customer_id,order_date,total\n1,c1,2024-01-01,10.50\n2,c2,2024-01-08,12\n3,c3,2024-01-15,9.99\n',
    );
    const once = join(dir, 'once.json');
    await writeFile(
      once,
      JSON.stringify({
        version: 1,
        currency: 'GBP',
        timeZone: 'UTC',
        tables: [
          {
            source: 'once',
            kind: 'orders',
            columns: {
              order_id: 'order_id',
              customer_id: 'customer_id',
              order_ts: 'order_date',
              amount: 'total',
            },
            parse: {},
            amount: 'column',
            include: { cancelled: false, nonPositive: false, duplicates: false },
            attributes: [],
          },
        ],
      }),
    );
    const { code, json, err } = await run(['clv', file, '--mapping', once]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(json.usable).toBe(false);
    expect(json.message).toMatch(/not identified/);
    expect([json.r, json.alpha, json.a, json.b, json.p]).toEqual([null, null, null, null, null]);
    expect(json.top).toEqual([]);
  });

  it('without orders it says what to map', async () => {
    const file = join(dir, 'people.csv');
    await writeFile(file, 'customer_id,signup_date,plan\nc1,2024-01-01,basic\nc2,2024-01-02,pro\n');
    const { code, err } = await run(['clv', file]);
    expect(code).toBe(2);
    expect(err).toMatch(/no orders table was recognised/);
  });
});
