import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { serialiseNotebook } from '../../../src/lib/notebook/serialise.ts';
import { sampleNotebook } from '../notebook/sample.ts';
import { datasets } from '../../support/data.ts';
import { sampleAudit } from './fixture.ts';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, json: out.length ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
};
const retail = () => join(inject('sharedData'), datasets.retailParquet);

describe('retain audit', () => {
  it('proposes answers, adds the data findings to the notebook’s and writes the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-audit-'));
    const nb = join(dir, 'audit.retain.json');
    await writeFile(
      nb,
      serialiseNotebook({ ...sampleNotebook(), audit: sampleAudit() }, { includeMapping: false }),
    );
    const report = join(dir, 'report.html');
    const { code, json, err } = await run([
      'audit',
      retail(),
      '--notebook',
      nb,
      '--report',
      report,
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(json.metrics.customers).toBe(4_338); // SOURCE.md
    const repeat = json.proposals.find(
      (p: { question: string }) => p.question === 'overall.repeat_rate',
    );
    expect(repeat).toMatchObject({ status: 'proposed' });
    // The notebook's three findings plus the data's month-1 and at-risk findings.
    expect(json.plan.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['f-welcome', 'f-faq', 'f-loyalty', 'data-month1-retention']),
    );
    expect(json.plan[0].rank).toBe(1);
    expect(json.progress).toEqual({ total: 89, answered: 10, gaps: 2 });
    const html = await readFile(report, 'utf8');
    expect(html).toContain('Prepared for Acme Gifts Ltd');
    expect(html).toContain('<svg'); // the KPI charts, drawn with Plot on jsdom
    expect(html).not.toMatch(/<script/i);
  }, 120_000);

  it('exits 2 for bad usage and 1 for a notebook it cannot read', async () => {
    const bad = await run(['audit', retail(), '--report', 'report.pdf']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--report must name an \.html file/);
    expect((await run(['audit'])).code).toBe(2);
    const missing = await run(['audit', retail(), '--notebook', '/nonexistent/nb.json']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read the notebook file/);
    const dir = await mkdtemp(join(tmpdir(), 'retain-audit-'));
    const damaged = join(dir, 'nb.json');
    await writeFile(damaged, '{"version": 1, "audit": 3}');
    const r = await run(['audit', retail(), '--notebook', damaged]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/This notebook cannot be opened/);
  });
});
