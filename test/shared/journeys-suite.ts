import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeys, type JourneyResult } from '../../src/lib/analyses/journeys.ts';
import { isCancelled, type SqlEngine } from '../../src/lib/engine/types.ts';
import { dropCanonical } from '../../src/lib/schema/views.ts';
import { loadFixtures, type FixtureHarness } from './nps-suite.ts';

/**
 * Customer journeys, on both engines, over test/fixtures/events/app_events.csv and
 * the customers of test/fixtures/feedback (churn flag and date). Expected paths are
 * worked out by hand; none is copied from the code's output.
 *
 * Each customer's events before their churn date, repeats collapsed (→ churned):
 *   C01 signup login support_ticket downgrade → Churned (login ×2, ticket ×2 collapsed)
 *   C02 signup login purchase login purchase → Retained
 *   C03 signup login support_ticket downgrade → Churned (its 06-05 login is after 05-20)
 *   C04 signup login purchase login → Retained (purchase ×2 collapsed)
 *   C05 signup login support_ticket login → Churned
 *   C06 signup login purchase referral purchase → Retained (referral: 1 of 10 customers)
 *   C07 signup support_ticket downgrade → Churned
 *   C08 signup login purchase login → Retained (login ×2 collapsed)
 *   C09 signup login purchase → Retained (login ×2 collapsed)
 *   C10 signup login support_ticket downgrade support_ticket → Churned
 */
export function journeysSuite(harness: FixtureHarness) {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await harness.engine();
    await loadFixtures(engine, harness);
  }, 60_000);
  afterAll(async () => engine?.close());

  const paths = (r: JourneyResult) => r.paths.map((p) => [p.path, p.customers, p.churned]);
  const links = (r: JourneyResult) =>
    r.links.map((l) => `${l.source} > ${l.target} ${l.customers}`);

  describe('four steps, events reached by fewer than 15 % of customers grouped', () => {
    let r: JourneyResult;
    beforeAll(async () => {
      r = await journeys(engine, { steps: 4, minShare: 0.15 });
    });

    it('counts the customers and groups referral (1 of 10 < 15 %) as Other', () => {
      expect([r.customers, r.churned, r.groupedEvents, r.eventNames]).toEqual([10, 5, 1, 6]);
      expect(r.label).toBe('column');
    });

    it('the top paths, most customers first (ties by path)', () => {
      expect(paths(r)).toEqual([
        ['signup → login → purchase → login', 3, 0], // C02 C04 C08
        ['signup → login → support_ticket → downgrade', 3, 3], // C01 C03 C10
        ['signup → login → purchase', 1, 0], // C09
        ['signup → login → purchase → Other', 1, 0], // C06
        ['signup → login → support_ticket → login', 1, 1], // C05
        ['signup → support_ticket → downgrade', 1, 1], // C07
      ]);
      expect(r.paths[1].churnRate).toBe(100);
    });

    it('links from step to step and from the last step to the outcome', () => {
      expect(links(r).sort()).toEqual(
        [
          '1:signup > 2:login 9', // all but C07
          '1:signup > 2:support_ticket 1', // C07
          '2:login > 3:purchase 5', // C02 C04 C06 C08 C09
          '2:login > 3:support_ticket 4', // C01 C03 C05 C10
          '2:support_ticket > 3:downgrade 1', // C07
          '3:purchase > 4:login 3', // C02 C04 C08
          '3:purchase > 4:Other 1', // C06
          '3:purchase > Retained 1', // C09 ends after 3 steps
          '3:support_ticket > 4:downgrade 3', // C01 C03 C10
          '3:support_ticket > 4:login 1', // C05
          '3:downgrade > Churned 1', // C07
          '4:downgrade > Churned 3',
          '4:login > Churned 1', // C05
          '4:login > Retained 3',
          '4:Other > Retained 1',
        ].sort(),
      );
    });

    it('nodes carry the customers passing through; the outcomes hold everyone', () => {
      const byId = Object.fromEntries(r.nodes.map((n) => [n.id, n.customers]));
      expect(byId).toEqual({
        '1:signup': 10,
        '2:login': 9,
        '2:support_ticket': 1,
        '3:purchase': 5,
        '3:support_ticket': 4,
        '3:downgrade': 1,
        '4:login': 4,
        '4:downgrade': 3,
        '4:Other': 1,
        Churned: 5,
        Retained: 5,
      });
      expect(r.nodes.filter((n) => n.step === null).map((n) => n.name)).toEqual([
        'Churned',
        'Retained',
      ]);
    });
  });

  it('two steps: every path is cut after signup and its next step', async () => {
    // signup → login: all but C07 (churned: C01 C03 C05 C10); signup → support_ticket: C07.
    const r = await journeys(engine, { steps: 2 });
    expect(paths(r)).toEqual([
      ['signup → login', 9, 4],
      ['signup → support_ticket', 1, 1],
    ]);
    expect(links(r).sort()).toEqual(
      [
        '1:signup > 2:login 9',
        '1:signup > 2:support_ticket 1',
        '2:login > Churned 4',
        '2:login > Retained 5',
        '2:support_ticket > Churned 1',
      ].sort(),
    );
  });

  it('five steps, nothing grouped: events after the churn date never join a journey', async () => {
    // minShare 0: referral stays itself. C03 keeps 4 steps (its 06-05 login is after it left),
    // so it shares its path with C01; C10's second support_ticket is its 5th step.
    const r = await journeys(engine, { steps: 5, minShare: 0 });
    expect(r.groupedEvents).toBe(0);
    expect(paths(r)).toEqual([
      ['signup → login → purchase → login', 2, 0], // C04 C08
      ['signup → login → support_ticket → downgrade', 2, 2], // C01 C03
      ['signup → login → purchase', 1, 0],
      ['signup → login → purchase → login → purchase', 1, 0], // C02
      ['signup → login → purchase → referral → purchase', 1, 0], // C06
      ['signup → login → support_ticket → downgrade → support_ticket', 1, 1], // C10
      ['signup → login → support_ticket → login', 1, 1],
      ['signup → support_ticket → downgrade', 1, 1],
    ]);
    expect((await journeys(engine, { steps: 5, minShare: 0, topPaths: 3 })).paths.length).toBe(3);
  });

  it('stops when cancelled', async () => {
    const c = new AbortController();
    const run = journeys(engine, {
      signal: c.signal,
      onProgress: (_, step) => {
        if (step.startsWith('Links')) c.abort();
      },
    });
    await expect(run).rejects.toSatisfy(isCancelled);
  });

  it('refuses bad parameters and says what to map without events', async () => {
    await expect(journeys(engine, { steps: 0 })).rejects.toThrow(/from 1 to 10/);
    await expect(journeys(engine, { minShare: 2 })).rejects.toThrow(/fraction from 0 to 1/);
    await dropCanonical(engine);
    try {
      await expect(journeys(engine)).rejects.toThrow(/map it as “Events”/);
    } finally {
      await loadFixtures(engine, harness);
    }
  });
}
