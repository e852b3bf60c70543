import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { datasets } from '../support/data.ts';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('retain profile', () => {
  it('prints per table its columns, types and row count as JSON', async () => {
    const telco = join(inject('sharedData'), datasets.telco);
    const cdnow = join(inject('sharedData'), datasets.cdnowMaster);
    const { code, out } = await run(['profile', telco, cdnow]);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.tables.map((t: { rows: number }) => t.rows)).toEqual([7_043, 69_659]);
    expect(report.tables[1].columns).toEqual([
      { name: 'customer_id', type: 'VARCHAR' },
      { name: 'date', type: 'BIGINT' },
      { name: 'number_of_cds', type: 'BIGINT' },
      { name: 'dollar_value', type: 'DOUBLE' },
    ]);
    expect(report.tables[0]).toMatchObject({
      format: 'csv',
      dialect: { delimiter: ',', header: true },
    });
  });

  it('reports a bad file on stderr and in the JSON, with exit code 1', async () => {
    const { code, out, err } = await run(['profile', 'no/such/file.csv']);
    expect(code).toBe(1);
    expect(JSON.parse(out).errors[0]).toMatchObject({
      file: 'no/such/file.csv',
      problem: expect.stringMatching(/no file/),
    });
    expect(err).toMatch(/Check the path/);
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await run(['profile'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['help'])).out).toMatch(/retain profile FILE/);
  });

  it('works as the installed bin', async () => {
    const bin = resolve(import.meta.dirname, '../../bin/retain.mjs');
    const { stdout } = await promisify(execFile)('node', [
      bin,
      'profile',
      join(inject('sharedData'), datasets.cdnowSample),
    ]);
    expect(JSON.parse(stdout).tables[0]).toMatchObject({ rows: 6_919, format: 'csv' });
  });
});
