/**
 * `retain run NOTEBOOK --data FILE...`: execute a notebook exported from the app
 * on native DuckDB (which spills to disk and uses every core), with the same SQL,
 * analyses, parameters and mapping, and write the standalone HTML report and the
 * result files. The notebook logic is src/lib/notebook/runner.ts; this file reads
 * the arguments and files, sets up DuckDB and jsdom, and writes the outputs.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { version } from '../../package.json';
import { NodeEngine } from '../lib/engine/node.ts';
import { toRows } from '../lib/engine/rows.ts';
import { toCsv } from '../lib/export/csv.ts';
import { createProvenance, type ProvenanceInput } from '../lib/export/provenance.ts';
import { renderReport } from '../lib/export/report.ts';
import { IngestError } from '../lib/ingest/errors.ts';
import { loadFile } from '../lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../lib/ingest/node-input.ts';
import { renderMarkdownIn, type MarkdownWindow } from '../lib/notebook/markdown.ts';
import { allRows } from '../lib/notebook/run.ts';
import { overrideParameters, runNotebook, type CellOutcome } from '../lib/notebook/runner.ts';
import { parseNotebook } from '../lib/notebook/serialise.ts';
import type { Notebook } from '../lib/notebook/types.ts';
import { detectMapping } from '../lib/schema/detect.ts';
import type { Mapping } from '../lib/schema/mapping.ts';
import { validateMapping } from '../lib/schema/validate.ts';
import { applyMapping } from '../lib/schema/views.ts';
import { ident, literal } from '../lib/sql/quote.ts';
import { UsageError } from './args.ts';
import type { Io } from './main.ts';
import { RUN_ANALYSES } from './run-analyses.ts';

export const RUN_USAGE = `retain run NOTEBOOK --data FILE... [--param NAME=VALUE]... [--out DIR]
           [--memory-limit 4GB] [--threads N] [--temp-dir DIR] [--no-parquet]`;

export interface RunFlags {
  notebook: string;
  data: string[];
  params: Record<string, string>;
  out: string;
  memoryLimit?: string;
  threads?: number;
  tempDir?: string;
  parquet: boolean;
}

/** Parse `retain run` arguments; `--data` takes every following word up to the next option. */
export function runFlags(argv: string[]): RunFlags {
  const flags: RunFlags = { notebook: '', data: [], params: {}, out: 'retain-out', parquet: true };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`--${name} needs a value`);
      return v;
    };
    switch (name) {
      case 'data':
        if (inline !== undefined) flags.data.push(inline);
        while (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--'))
          flags.data.push(argv[++i]);
        break;
      case 'param': {
        const text = value();
        const eq = text.indexOf('=');
        if (eq < 1)
          throw new UsageError(
            `--param takes NAME=VALUE, e.g. --param since=2011-06-01, not "${text}"`,
          );
        flags.params[text.slice(0, eq)] = text.slice(eq + 1);
        break;
      }
      case 'out':
        flags.out = value();
        break;
      case 'memory-limit': {
        const v = value();
        if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(v))
          throw new UsageError(`--memory-limit takes a size such as 4GB or 512MB, not "${v}"`);
        flags.memoryLimit = v;
        break;
      }
      case 'threads': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 1024)
          throw new UsageError(`--threads takes a whole number from 1 to 1024, not "${v}"`);
        flags.threads = n;
        break;
      }
      case 'temp-dir':
        flags.tempDir = value();
        break;
      case 'no-parquet':
        if (inline !== undefined) throw new UsageError('--no-parquet takes no value');
        flags.parquet = false;
        break;
      default:
        throw new UsageError(
          `unknown option --${name} (known: --data, --param, --out, --memory-limit, --threads, --temp-dir, --no-parquet)`,
        );
    }
  }
  if (positional.length === 0)
    throw new UsageError(
      'name the notebook file, e.g. retain run overview.retain.json --data orders.csv',
    );
  flags.notebook = positional[0];
  // Files after the notebook without --data count as data too.
  flags.data.unshift(...positional.slice(1));
  if (flags.data.length === 0)
    throw new UsageError(
      `name the data with --data, e.g. retain run ${positional[0]} --data orders.csv`,
    );
  return flags;
}

/** A failure that is the input's fault (bad notebook, unreadable data): exit 1. */
class InputError extends Error {}

/** `retain run`: returns the exit code (0 ok, 1 bad input or failed cells, 2 bad usage). */
export async function runCommand(argv: string[], io: Io): Promise<number> {
  let flags: RunFlags;
  try {
    flags = runFlags(argv);
  } catch (error) {
    io.err(`retain run: ${(error as Error).message}\n\nUsage: ${RUN_USAGE}`);
    return 2;
  }
  let notebook: Notebook;
  try {
    notebook = await readNotebook(flags.notebook);
  } catch (error) {
    io.err(`retain run: ${(error as Error).message}`);
    return 1;
  }
  try {
    notebook = { ...notebook, parameters: overrideParameters(notebook.parameters, flags.params) };
  } catch (error) {
    io.err(`retain run: --param: ${(error as Error).message}`);
    return 2;
  }
  const out = resolve(flags.out);
  const spill = flags.tempDir
    ? resolve(flags.tempDir)
    : await mkdtemp(join(tmpdir(), 'retain-spill-'));
  const engine = await NodeEngine.create({
    memoryLimit: flags.memoryLimit,
    threads: flags.threads,
  });
  const started = performance.now();
  const memory = new MemoryWatch(engine);
  try {
    await mkdir(spill, { recursive: true });
    // Where DuckDB writes what does not fit in memory_limit (big joins, sorts, aggregates).
    await engine.exec(`SET temp_directory = ${literal(spill)}`);
    const inputs = await loadInputs(engine, flags.data, io);
    const mapping = await mapData(engine, notebook, inputs, io);
    const loadMs = performance.now() - started;
    await memory.sample();
    const { cells, outcomes } = await runNotebook(engine, notebook, {
      analyses: RUN_ANALYSES,
      renderMarkdown: (text) => renderMarkdownIn(dom().window as unknown as MarkdownWindow, text),
      renderChart: (spec) => drawChart(spec),
      onCell: (i, total, label) => io.err(`retain run: cell ${i + 1}/${total}: ${label}`),
      afterCell: () => memory.sample(),
    });
    await memory.sample();
    await mkdir(out, { recursive: true });
    const provenance = createProvenance({ version, inputs, notebook, mapping });
    const files: string[] = [];
    const write = async (name: string, text: string) => {
      await writeFile(join(out, name), text);
      files.push(name);
    };
    await write('report.html', renderReport({ notebook, cells, provenance }));
    const results = await writeResults(engine, outcomes, out, flags.parquet, files);
    const analyses = await writeAnalyses(outcomes, write);
    await write('provenance.json', JSON.stringify(provenance, null, 2));
    const failed = outcomes.filter((o) => o.error);
    for (const f of failed)
      io.err(`retain run: cell ${f.id} (${f.name ?? f.kind}) failed: ${f.error}`);
    for (const u of outcomes.filter((o) => o.unsupported))
      io.err(
        `retain run: this version of retain does not run the analysis "${u.name}"; the report says so.`,
      );
    io.out(
      JSON.stringify(
        {
          notebook: { id: notebook.id, title: notebook.title },
          out,
          inputs: inputs.map(({ file, table, rows, size, sha256 }) => ({
            file,
            table,
            rows,
            size,
            sha256,
          })),
          parameters: provenance.parameters,
          cells: outcomes.map(({ id, kind, name, rows, elapsedMs, error, unsupported }) => ({
            id,
            kind,
            ...(name ? { name } : {}),
            ...(rows !== undefined ? { rows } : {}),
            ms: Math.round(elapsedMs),
            ...(error ? { error } : {}),
            ...(unsupported ? { unsupported: true } : {}),
          })),
          results,
          analyses,
          files,
          failed: failed.length,
          loadMs: Math.round(loadMs),
          totalMs: Math.round(performance.now() - started),
          memory: memory.figures(),
          engine: {
            version: engine.info.version,
            memoryLimit: flags.memoryLimit ?? null,
            threads: flags.threads ?? null,
          },
        },
        null,
        2,
      ),
    );
    return failed.length ? 1 : 0;
  } catch (error) {
    if (error instanceof IngestError)
      io.err(`retain run: ${error.file}: ${error.problem} ${error.fix}`);
    else io.err(`retain run: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await engine.close();
    if (!flags.tempDir) await rm(spill, { recursive: true, force: true });
  }
}

async function readNotebook(file: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'there is no such file'
        : (error as Error).message;
    throw new InputError(`cannot read the notebook ${file}: ${why}.`);
  }
  try {
    return parseNotebook(text);
  } catch (error) {
    throw new InputError(
      `${file}: ${(error as Error).message} Export the notebook again from the app and pass that file.`,
    );
  }
}

interface LoadedInput extends ProvenanceInput {
  path: string;
}

/** Load every data file the way the app does, with its size and SHA-256 for the provenance. */
async function loadInputs(engine: NodeEngine, files: string[], io: Io): Promise<LoadedInput[]> {
  const inputs: LoadedInput[] = [];
  for (const file of files) {
    const path = resolve(file);
    const result = await loadFile(engine, nodeDecoders, await fromPath(path));
    const [size, sha256] = [(await stat(path)).size, await sha256File(path)];
    for (const t of result.tables) {
      inputs.push({ file: basename(file), path, table: t.name, rows: t.rows, size, sha256 });
      io.err(`retain run: loaded ${file} as ${t.name} (${t.rows.toLocaleString('en')} rows)`);
    }
  }
  return inputs;
}

/** SHA-256 (FIPS 180-4) of a file, streamed, so a large Parquet file is never held in memory. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The notebook's mapping when it has one (and the files fit it), else the proposed mapping. */
async function mapData(
  engine: NodeEngine,
  notebook: Notebook,
  inputs: LoadedInput[],
  io: Io,
): Promise<Mapping> {
  let mapping: Mapping;
  if (notebook.mapping) {
    mapping = notebook.mapping;
    const missing = mapping.tables
      .map((t) => t.source)
      .filter((s) => !inputs.some((i) => i.table === s));
    if (missing.length) {
      throw new InputError(
        `the notebook's mapping refers to table(s) ${missing.join(', ')}, but the data loaded as ${inputs.map((i) => i.table).join(', ')}. ` +
          'Pass the same files the notebook was made with (their names decide the table names).',
      );
    }
  } else {
    mapping = { version: 1, tables: [], currency: 'GBP', timeZone: 'UTC' };
    for (const { table } of inputs) {
      const { proposal } = await detectMapping(engine, table);
      if (proposal) mapping.tables.push(proposal.mapping);
    }
    io.err(
      'retain run: the notebook holds no mapping, so the proposed one is used: ' +
        (mapping.tables.map((t) => `${t.source} as ${t.kind}`).join(', ') ||
          'nothing was recognised') +
        '. Export the notebook with its mapping to fix the mapping.',
    );
  }
  const problems = await validateMapping(engine, mapping);
  const fatal = problems.filter((p) => p.fatal);
  if (fatal.length)
    throw new InputError(
      `the mapping cannot work: ${fatal.map((p) => `${p.source}: ${p.problem}`).join(' ')} Fix the mapping in the app and export the notebook again.`,
    );
  for (const p of problems) io.err(`retain run: ${p.source}: ${p.problem}`);
  await applyMapping(engine, mapping);
  return mapping;
}

let jsdom: JSDOM | undefined;
const dom = () => (jsdom ??= new JSDOM(''));

/** Draw Plot options as SVG markup in jsdom; Plot wraps a chart with a legend or title in a figure. */
function drawChart(spec: Plot.PlotOptions): string {
  const chart = Plot.plot({ ...spec, document: dom().window.document });
  const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg');
  return (svg ?? chart).outerHTML;
}

const safeName = (text: string) => text.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'result';

/** One CSV (as the app exports it: BOM, formulas defused) and one Parquet per named SQL result. */
async function writeResults(
  engine: NodeEngine,
  outcomes: CellOutcome[],
  out: string,
  parquet: boolean,
  files: string[],
) {
  const written: { name: string; rows: number; csv: string; parquet?: string }[] = [];
  for (const [index, o] of outcomes.entries()) {
    if (o.kind !== 'sql' || !o.table) continue;
    // The app names an unnamed cell's export by its position.
    const base = safeName(o.name ?? `cell-${index + 1}`);
    const { columns, rows } = await allRows(engine, o.table);
    const names = columns.map((c) => c.name);
    const csv = `${base}.csv`;
    await writeFile(
      join(out, csv),
      toCsv(
        names,
        rows.map((r) => names.map((n) => r[n] ?? null)),
        { bom: true },
      ),
    );
    files.push(csv);
    const entry: (typeof written)[number] = { name: base, rows: o.rows ?? rows.length, csv };
    if (parquet) {
      entry.parquet = `${base}.parquet`;
      await engine.exec(
        `COPY (SELECT * FROM ${ident(o.table)}) TO ${literal(join(out, entry.parquet))} (FORMAT parquet)`,
      );
      files.push(entry.parquet);
    }
    written.push(entry);
  }
  return written;
}

/** One JSON file per analysis cell that ran: its whole result, dates as ISO text, no SQL. */
async function writeAnalyses(
  outcomes: CellOutcome[],
  write: (name: string, text: string) => Promise<void>,
) {
  const written: { id: string; analysis: string; json: string }[] = [];
  for (const [index, o] of outcomes.entries()) {
    if (o.kind !== 'analysis' || o.result === undefined) continue;
    const json = `analysis-${index + 1}-${safeName(o.name ?? 'analysis')}.json`;
    const text = JSON.stringify(
      o.result,
      (key, v) => (key === 'sql' || key === 'statements' || key === 'averageSql' ? undefined : v),
      2,
    );
    await write(json, text);
    written.push({ id: o.id, analysis: o.name ?? '', json });
  }
  return written;
}

/**
 * Peak memory of a run: the process's peak RSS (getrusage), and the most DuckDB's
 * buffer manager held and spilled, sampled between steps from duckdb_memory().
 */
class MemoryWatch {
  #duckdb = 0;
  #spilled = 0;
  constructor(private engine: NodeEngine) {}

  async sample() {
    try {
      const [row] = toRows(
        await this.engine.query(
          `SELECT sum(memory_usage_bytes)::DOUBLE AS used, sum(temporary_storage_bytes)::DOUBLE AS spilled FROM duckdb_memory()`,
        ),
      );
      this.#duckdb = Math.max(this.#duckdb, Number(row.used ?? 0));
      this.#spilled = Math.max(this.#spilled, Number(row.spilled ?? 0));
    } catch {
      // duckdb_memory() is a diagnostic: a DuckDB without it still runs the notebook.
    }
  }

  figures() {
    return {
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      duckdbPeakBytes: this.#duckdb,
      duckdbSpilledBytes: this.#spilled,
    };
  }
}
