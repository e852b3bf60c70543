import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, json: out.length ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
};
const fixtures = join(import.meta.dirname, '../fixtures');
const customers = join(fixtures, 'feedback/customers.csv');
const answers = join(fixtures, 'feedback/nps_responses.csv');
const events = join(fixtures, 'events/app_events.csv');

// Expected figures are worked out by hand in test/shared/nps-suite.ts and journeys-suite.ts.
describe('retain nps', () => {
  it('NPS per quarter and by plan, the runs of negative answers and the events by lift', async () => {
    const { code, json } = await run([
      'nps',
      customers,
      answers,
      events,
      '--period',
      'quarter',
      '--by',
      'plan',
    ]);
    expect(code).toBe(0);
    // 5 promoters and 14 detractors of 22 answers.
    expect([json.nps.responses, json.nps.promoters, json.nps.detractors]).toEqual([22, 5, 14]);
    expect(
      json.periods.map((p: { period: string; responses: number }) => [p.period, p.responses]),
    ).toEqual([
      ['2024-Q1', 13],
      ['2024-Q2', 9],
    ]);
    expect(json.periods[0].start).toBe('2024-01-01');
    expect(json.by).toBe('plan');
    expect(
      json.segments.map((s: { segment: string; promoters: number }) => [s.segment, s.promoters]),
    ).toEqual([
      ['Basic', 2],
      ['Pro', 3],
    ]);
    const a = json.antecedents;
    expect([a.label, a.customers, a.churned, a.answered]).toEqual(['column', 10, 5, 9]);
    expect(
      a.negative_runs.map((r: { label: string; customers: number; churned: number }) => [
        r.label,
        r.customers,
        r.churned,
      ]),
    ).toEqual([
      ['0', 2, 0],
      ['1', 3, 1],
      ['2', 3, 2],
      ['3+', 1, 1],
    ]);
    expect(
      a.events.slice(0, 2).map((e: { event: string; lift: number }) => [e.event, e.lift]),
    ).toEqual([
      ['support_ticket', 2],
      ['downgrade', 2],
    ]);
  });

  it('--negative and --cutoff move the runs', async () => {
    const { json } = await run([
      'nps',
      customers,
      answers,
      '--negative',
      '5',
      '--cutoff',
      '2024-07-01',
    ]);
    // ≤ 5, every answer before the churn dates: 0 → 5 customers, 1 → 2, 2 → 2, 3+ → 0.
    expect(json.antecedents.negative_runs.map((r: { customers: number }) => r.customers)).toEqual([
      5, 2, 2, 0,
    ]);
    expect(json.antecedents.events).toBeNull();
    expect(json.antecedents.events_note).toMatch(/Map an events table/);
  });

  it('bad usage exits 2 with the reason; unreadable input exits 1', async () => {
    const bad = async (argv: string[], message: RegExp) => {
      const r = await run(['nps', customers, answers, ...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    };
    await bad(['--period', 'week'], /--period must be month or quarter/);
    await bad(['--negative', '11'], /--negative must be a whole score from 0 to 9/);
    await bad(['--cutoff', '2024-13-01'], /--cutoff must be a date/);
    await bad(
      ['--by', 'colour'],
      /--by must be a feedback or customers column.*topic, plan, region/,
    );
    expect((await run(['nps'])).code).toBe(2);
    const dir = await mkdtemp(join(tmpdir(), 'retain-nps-'));
    const broken = join(dir, 'broken.parquet');
    await writeFile(broken, 'not parquet at all');
    expect((await run(['nps', broken])).code).toBe(1);
    const none = await run(['nps', events]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/NPS needs feedback/);
  });
});

describe('retain journeys', () => {
  it('paths, nodes and links with --steps and --min-share', async () => {
    const { code, json } = await run([
      'journeys',
      customers,
      events,
      '--steps',
      '4',
      '--min-share',
      '0.15',
    ]);
    expect(code).toBe(0);
    expect([json.customers, json.churned, json.groupedEvents]).toEqual([10, 5, 1]);
    expect(
      json.paths.slice(0, 2).map((p: { path: string; customers: number }) => [p.path, p.customers]),
    ).toEqual([
      ['signup → login → purchase → login', 3],
      ['signup → login → support_ticket → downgrade', 3],
    ]);
    expect(json.nodes.length).toBe(11);
    expect(json.links.length).toBe(15);
    expect(json.sql).toBeUndefined();
  });

  it('bad usage exits 2; data without events exits 1 and says what to map', async () => {
    const r = await run(['journeys', customers, events, '--steps', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--steps must be a whole number from 1 to 10/);
    expect((await run(['journeys', customers, events, '--min-share', '5'])).err).toMatch(
      /--min-share must be a fraction/,
    );
    const none = await run(['journeys', customers, answers]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/Journeys need events/);
  });
});
