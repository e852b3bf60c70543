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
