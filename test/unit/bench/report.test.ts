import { describe, expect, it } from 'vitest';
import { tableLines } from '../../../scripts/bench/report.ts';

describe('the benchmark table', () => {
  it('shows medians, the ratio, the target and the distance to it', () => {
    const [, , line] = tableLines([
      {
        rows: 1_000_000,
        step: 'RFM',
        native: [100, 300, 200],
        chromium: [500, 300, 400],
        target: { ms: 200, ratio: 2 },
        longTasks: [],
      },
    ]);
    // medians 200 and 400 ms; 400 / 200 = 2.0 (not over 2×); 400 − 200 = 200 ms over
    expect(line).toBe(
      '| 1,000,000 | RFM | 200 ms | 400 ms | 2.0 | ≤ 200 ms, ≤ 2× native | 200 ms over | none |',
    );
  });

  it('gives ingest as rows per second and says when the tab failed or stopped early', () => {
    const [, , ingest, failed, partial] = tableLines([
      // 1,000,000 rows in 2.5 s = 400,000 rows/s; target 1M rows/s = 1,000 ms, so 1.5 s over
      {
        rows: 1_000_000,
        step: 'ingest CSV',
        chromium: [2500],
        rate: true,
        target: { ms: 1000 },
        targetLabel: '≥ 1,000,000 rows/s',
      },
      { rows: 10, step: 'x', native: [5], error: 'Out of memory', target: { ms: 2000 } },
      { rows: 10, step: 'y', chromium: [3000, 1000], note: '2 of 3 runs' },
    ]);
    expect(ingest).toBe(
      '| 1,000,000 | ingest CSV | — | 2.50 s (400,000 rows/s) | — | ≥ 1,000,000 rows/s | 1.50 s over | — |',
    );
    expect(failed).toBe(
      '| 10 | x | 5 ms | failed: Out of memory | — | ≤ 2.00 s | missed (no result) | — |',
    );
    // (3000 + 1000) / 2 = 2000 ms
    expect(partial).toBe('| 10 | y | — | 2.00 s (2 of 3 runs) | — | — | — | — |');
  });
});
