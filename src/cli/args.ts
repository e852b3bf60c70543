/** Command-line flags: `--name value` or `--name=value`; everything else is a file. */
export interface Parsed {
  files: string[];
  flags: Record<string, string>;
}

export function parseArgs(argv: string[], known: string[]): Parsed {
  const files: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!known.includes(name))
      throw new UsageError(
        `unknown option --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`,
      );
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return { files, flags };
}

export class UsageError extends Error {}

/** A `--name` flag as a number passing `check`, or undefined when absent. */
export function numberFlag(
  flags: Record<string, string>,
  name: string,
  check: (n: number) => boolean,
  what: string,
): number | undefined {
  if (flags[name] === undefined) return undefined;
  const n = Number(flags[name]);
  if (flags[name].trim() === '' || !Number.isFinite(n) || !check(n))
    throw new UsageError(`--${name} must be ${what}, not "${flags[name]}"`);
  return n;
}

/** A date flag (YYYY-MM-DD) as midnight UTC of that day, or undefined when absent. */
export function dateFlag(flags: Record<string, string>, name: string): Date | undefined {
  const text = flags[name];
  if (text === undefined) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(text) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== text
  )
    throw new UsageError(`--${name} must be a date such as 2024-06-01, not "${text}"`);
  return date;
}
