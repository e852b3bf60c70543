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
