import { describe, expect, it } from 'vitest';
import type { PeriodKpis } from '../../../src/lib/analyses/kpis.ts';
import { tickPeriods } from '../../../src/lib/charts/kpi-charts.ts';

const months = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => ({ start: new Date(Date.UTC(2010, 11 + i, 1)) }) as PeriodKpis,
  );

describe('tickPeriods', () => {
  it('labels every period up to eight', () => {
    expect(tickPeriods(months(8))).toHaveLength(8);
  });

  it('labels every second of 13 months (Dec 2010 – Dec 2011): 7 labels from the first', () => {
    // ceil(13 / 8) = 2, so periods 0, 2, …, 12: Dec 2010, Feb, Apr, Jun, Aug, Oct, Dec 2011.
    const ticks = tickPeriods(months(13)).map((d) => d.toISOString().slice(0, 7));
    expect(ticks).toEqual([
      '2010-12',
      '2011-02',
      '2011-04',
      '2011-06',
      '2011-08',
      '2011-10',
      '2011-12',
    ]);
  });
});
