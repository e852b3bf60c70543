import { describe, expect, it } from 'vitest';
import {
  distance,
  longTaskText,
  median,
  msText,
  parseFlags,
  targetText,
} from '../../../scripts/bench/stats.ts';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middle values of an even one', () => {
    expect(median([30, 10, 20])).toBe(20);
    // sorted 1, 2, 4, 9: (2 + 4) / 2 = 3
    expect(median([9, 1, 4, 2])).toBe(3);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('distance to a target', () => {
  it('says met when the time and the ratio are within the target', () => {
    // 150 ms ≤ 200 ms and 150 / 100 = 1.5 ≤ 2
    expect(distance(150, 100, { ms: 200, ratio: 2 })).toBe('met');
  });

  it('says how far over the time and the ratio are', () => {
    // 450 − 200 = 250 ms over; 450 / 150 = 3.0× native
    expect(distance(450, 150, { ms: 200, ratio: 2 })).toBe('250 ms over; 3.0× native');
    // 2,750 − 2,000 = 750 ms
    expect(distance(2750, undefined, { ms: 2000 })).toBe('750 ms over');
    // 13,000 − 2,000 = 11,000 ms = 11.0 s
    expect(distance(13_000, undefined, { ms: 2000 })).toBe('11.0 s over');
  });

  it('has no distance without a target, and none for a step that was not measured', () => {
    expect(distance(100, 50, undefined)).toBe('—');
    expect(distance(Number.NaN, 50, { ms: 200 })).toBe('not measured');
  });

  it('writes the target and times for a reader', () => {
    expect(targetText({ ms: 200, ratio: 2 })).toBe('≤ 200 ms, ≤ 2× native');
    expect(targetText(undefined)).toBe('—');
    expect(msText(999.4)).toBe('999 ms');
    expect(msText(1234)).toBe('1.23 s');
    expect(msText(12_345)).toBe('12.3 s');
  });
});

describe('long tasks', () => {
  it('counts them and flags the longest over 50 ms', () => {
    expect(longTaskText([])).toBe('none');
    expect(longTaskText([51, 120.4, 60])).toBe('3, longest 120 ms (over 50)');
    expect(longTaskText([50])).toBe('1, longest 50 ms');
  });
});

describe('flags', () => {
  it('defaults to 100k, 1M and 10M rows, three runs, seed 42', () => {
    expect(parseFlags([])).toEqual({
      sizes: [100_000, 1_000_000, 10_000_000],
      runs: 3,
      seed: 42,
      skipTraining: false,
      dir: '/tmp/retain-bench',
      stepLimit: 60,
      out: 'bench/out/bench.json',
    });
  });

  it('reads sizes, runs, seed, folder, step limit and --skip-training, with or without =', () => {
    expect(
      parseFlags([
        '--sizes',
        '100000,1_000_000',
        '--runs=1',
        '--seed',
        '7',
        '--skip-training',
        '--dir',
        '/x',
        '--step-limit=90',
        '--out',
        'x.json',
      ]),
    ).toEqual({
      sizes: [100_000, 1_000_000],
      runs: 1,
      seed: 7,
      skipTraining: true,
      dir: '/x',
      stepLimit: 90,
      out: 'x.json',
    });
  });

  it('takes --sizes none for start-up and training only', () => {
    expect(parseFlags(['--sizes', 'none', '--runs', '2'])).toMatchObject({ sizes: [], runs: 2 });
  });

  it('refuses what it cannot use, saying which option and what it takes', () => {
    expect(() => parseFlags(['--runs', '0'])).toThrow(
      '--runs must be a whole number ≥ 1, not "0".',
    );
    expect(() => parseFlags(['--sizes', '1e5x'])).toThrow(/--sizes must be a whole number/);
    expect(() => parseFlags(['--size', '10'])).toThrow(/Unknown option --size\. Use --sizes/);
    expect(() => parseFlags(['--runs'])).toThrow('--runs needs a value.');
  });
});
