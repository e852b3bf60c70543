/**
 * Pure helpers of `npm run bench`: medians, the issue's targets and how far a figure is
 * from its target, and the command-line flags.
 */

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A time target: at most `ms`, and optionally at most `ratio` × native. */
export interface Target {
  ms?: number;
  ratio?: number;
}

/** "≤ 200 ms, ≤ 2× native" */
export function targetText(target: Target | undefined): string {
  if (!target || (target.ms === undefined && target.ratio === undefined)) return '—';
  const parts = [];
  if (target.ms !== undefined) parts.push(`≤ ${msText(target.ms)}`);
  if (target.ratio !== undefined) parts.push(`≤ ${target.ratio}× native`);
  return parts.join(', ');
}

/** 840 ms, 2.5 s, 12 s */
export function msText(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** How far `ms` (and its ratio to native) is from `target`: "met" or what is over. */
export function distance(
  ms: number,
  native: number | undefined,
  target: Target | undefined,
): string {
  if (!target || (target.ms === undefined && target.ratio === undefined)) return '—';
  if (!Number.isFinite(ms)) return 'not measured';
  const misses = [];
  if (target.ms !== undefined && ms > target.ms) misses.push(`${msText(ms - target.ms)} over`);
  if (target.ratio !== undefined && native !== undefined && Number.isFinite(native)) {
    const ratio = ms / native;
    if (ratio > target.ratio) misses.push(`${ratio.toFixed(1)}× native`);
  }
  return misses.length ? misses.join('; ') : 'met';
}

/** The long-task column: count and longest, against the 50 ms target. */
export function longTaskText(durations: readonly number[], limit = 50): string {
  if (durations.length === 0) return 'none';
  const longest = Math.max(...durations);
  return `${durations.length}, longest ${Math.round(longest)} ms${longest > limit ? ` (over ${limit})` : ''}`;
}

/** Flags of `npm run bench`. */
export interface BenchFlags {
  sizes: number[];
  runs: number;
  seed: number;
  skipTraining: boolean;
  dir: string;
  /** Seconds one run of a step may take before it is stopped and reported as over the limit. */
  stepLimit: number;
  /** Where the figures go. */
  out: string;
}

/** Parse `--sizes 100000,1000000 --runs 3 --seed 42 --skip-training --dir /tmp/retain-bench --step-limit 60`. */
export function parseFlags(argv: readonly string[]): BenchFlags {
  const flags: BenchFlags = {
    sizes: [100_000, 1_000_000, 10_000_000],
    runs: 3,
    seed: 42,
    skipTraining: false,
    dir: '/tmp/retain-bench',
    stepLimit: 60,
    out: 'bench/out/bench.json',
  };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value.`);
      return v;
    };
    const count = (text: string, what: string) => {
      const n = Number(text.replace(/_/g, ''));
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`${what} must be a whole number ≥ 1, not "${text}".`);
      return n;
    };
    switch (name) {
      case '--sizes': {
        // `none`: only start-up and training.
        const text = value();
        flags.sizes = text === 'none' ? [] : text.split(',').map((s) => count(s.trim(), '--sizes'));
        break;
      }
      case '--runs':
        flags.runs = count(value(), '--runs');
        break;
      case '--seed':
        flags.seed = count(value(), '--seed');
        break;
      case '--out':
        flags.out = value();
        break;
      case '--dir':
        flags.dir = value();
        break;
      case '--step-limit':
        flags.stepLimit = count(value(), '--step-limit');
        break;
      case '--skip-training':
        flags.skipTraining = true;
        break;
      default:
        throw new Error(
          `Unknown option ${argv[i]}. Use --sizes N,N…|none --runs N --seed N --dir DIR --out FILE.json --step-limit SECONDS --skip-training.`,
        );
    }
  }
  return flags;
}
