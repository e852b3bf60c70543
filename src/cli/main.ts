import { resolve } from 'node:path';
import { NodeEngine } from '../lib/engine/node.ts';
import { IngestError } from '../lib/ingest/errors.ts';
import { loadFile } from '../lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../lib/ingest/node-input.ts';
import { parseArgs, UsageError, type Parsed } from './args.ts';
import { CHURN_FLAGS, churnCommand } from './churn.ts';
import { CLV_FLAGS, clvCommand } from './clv.ts';
import { LIFT_FLAGS, liftCommand } from './lift.ts';
import { FORECAST_FLAGS, forecastCommand } from './forecast.ts';
import { JOURNEYS_FLAGS, journeysCommand } from './journeys.ts';
import { NPS_FLAGS, npsCommand } from './nps.ts';
import { SURVIVAL_FLAGS, survivalCommand } from './survival.ts';
import { AUDIT_FLAGS, auditCommand } from './audit.ts';
import {
  cohortsCommand,
  kpisCommand,
  mappingCommand,
  purchasesCommand,
  qualityCommand,
  rfmCommand,
  segmentsCommand,
  summaryCommand,
} from './commands.ts';

const USAGE = `retain: retention analytics on native DuckDB, with the same code as the app.

Usage:
  retain profile FILE...     Per table: columns, types and row count.
  retain mapping FILE...     The proposed mapping of each table to retention roles (save it, edit it, pass it back).
  retain quality FILE...     Data quality report per mapped table, and the data gaps.
  retain kpis FILE...        Retention KPIs over all the data and per period.
  retain cohorts FILE...     Cohort retention, revenue retention and LTV curves.
  retain rfm FILE...         RFM scores and segments (--segment NAME lists that segment's customers).
  retain segments FILE...    Behavioural segments: value seekers, product-specific buyers, lapsed.
  retain purchases FILE...   First and second purchase: top items, add-ons, days to the second order.
  retain summary FILE...     Per-customer x, t_x, T and mean repeat spend for BTYD models.
  retain clv FILE...         Customer future value: BG/NBD + Gamma-Gamma fits, P(alive), expected purchases, CLV, holdout check.
  retain churn FILE...       Train and evaluate a churn model; score every customer (--scores OUT.csv).
  retain lift FILE...        Programme lift: treatment against holdout per period since the start, with 95 % intervals.
  retain forecast FILE...    Customers and revenue over the next periods at today's churn and at what-if rates.
  retain survival FILE...    Kaplan–Meier time to churn by group: medians, survival at yearly times, log-rank.
  retain nps FILE...         NPS over time and by segment; churn by final run of negative answers and by prior events.
  retain journeys FILE...    The most frequent event paths (first N steps) ending in churned or retained.
  retain audit FILE...       The 360° audit's data side: proposed answers, findings, ranked fix plan (--report OUT.html).
  retain run NOTEBOOK --data FILE...  Run a notebook exported from the app; write report.html, CSV/Parquet and JSON to --out.
  retain help                Show this help.

Options (quality, kpis):
  --mapping FILE             A mapping saved from the app or printed by "retain mapping"; proposed when omitted.
  --period month|quarter|year, --window DAYS, --margin 0..1, --lifespan YEARS   (kpis)
  --as-of DATE               What counts as a future date (quality); the scoring date (rfm).
  --grain week|month|quarter, --basis first_purchase|signup, --slice NAME       (cohorts)
  --window DAYS, --discount 0..1, --category 0..1                              (segments)
  --by product|category, --top N                                               (purchases)
  --calibration-end DATE, --unit day|week|month                                (summary)
  --calibration-end DATE, --unit day|week|month, --horizon N, --margin 0..1,
  --discount ANNUAL_RATE, --customers OUT.csv                                  (clv)
  --model logistic|mlp, --folds K, --seed N, --label auto|column|derived,
  --cutoff DATE, --window DAYS, --threshold P | --offer-cost C --saved-value V,
  --scores OUT.csv                                                             (churn)
  --period month|quarter, --periods N, --lift 0.05, --definition in-period|in-or-after,
  --programme NAME, --start DATE, --treatment VALUE, --holdout VALUE           (lift)
  --period month|quarter|year, --periods N, --churn 0.05,0.03, --new N,
  --window DAYS, --recent N, --revenue-per-customer X                          (forecast)
  --period month|quarter, --by COLUMN, --negative 0..9, --top N, --cutoff DATE, --window DAYS  (nps)
  --steps N, --min-share 0..1, --top N, --cutoff DATE, --window DAYS          (journeys)
  --source auto|subscriptions|tenure|orders, --by COLUMN, --unit day|week|month,
  --window DAYS, --per customer|subscription                                   (survival)
  --notebook NB.json, --client NAME, --report OUT.html                         (audit)
  --param NAME=VALUE (repeatable), --out DIR (default retain-out), --memory-limit 4GB,
  --threads N, --temp-dir DIR (DuckDB spills here), --no-parquet               (run)

Output is JSON on stdout; problems go to stderr with a non-zero exit code.

Files may be CSV/TSV/text (any delimiter, encoding, gzip), Parquet, JSON, NDJSON or Excel (.xlsx).`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Run the CLI; returns the exit code (0 ok, 1 a file failed, 2 bad usage). */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'profile':
      return profile(args, io);
    case 'mapping':
      return analysis(args, [], mappingCommand, io, command);
    case 'kpis':
      return analysis(
        args,
        ['mapping', 'period', 'window', 'margin', 'lifespan'],
        kpisCommand,
        io,
        command,
      );
    case 'quality':
      return analysis(args, ['mapping', 'as-of'], qualityCommand, io, command);
    case 'cohorts':
      return analysis(args, ['mapping', 'grain', 'basis', 'slice'], cohortsCommand, io, command);
    case 'rfm':
      return analysis(args, ['mapping', 'as-of', 'segment'], rfmCommand, io, command);
    case 'segments':
      return analysis(
        args,
        ['mapping', 'window', 'discount', 'category'],
        segmentsCommand,
        io,
        command,
      );
    case 'purchases':
      return analysis(args, ['mapping', 'by', 'top'], purchasesCommand, io, command);
    case 'summary':
      return analysis(args, ['mapping', 'calibration-end', 'unit'], summaryCommand, io, command);
    case 'clv':
      return analysis(args, CLV_FLAGS, clvCommand, io, command);
    case 'churn':
      return analysis(args, CHURN_FLAGS, churnCommand, io, command);
    case 'lift':
      return analysis(args, LIFT_FLAGS, liftCommand, io, command);
    case 'forecast':
      return analysis(args, FORECAST_FLAGS, forecastCommand, io, command);
    case 'nps':
      return analysis(args, NPS_FLAGS, npsCommand, io, command);
    case 'journeys':
      return analysis(args, JOURNEYS_FLAGS, journeysCommand, io, command);
    case 'survival':
      return analysis(args, SURVIVAL_FLAGS, survivalCommand, io, command);
    case 'audit':
      return analysis(args, AUDIT_FLAGS, auditCommand, io, command);
    case 'run':
      // Loaded on use: the runner brings jsdom and Plot, which other commands do not need.
      return (await import('./run.ts')).runCommand(args, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`retain: unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

/** Run an analysis command: parse flags, load, analyse, print JSON; map errors to exit codes. */
async function analysis(
  argv: string[],
  known: string[],
  run: (engine: NodeEngine, parsed: Parsed) => Promise<unknown>,
  io: Io,
  name: string,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv, known);
  } catch (error) {
    io.err(`retain ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (parsed.files.length === 0) {
    io.err(`retain ${name}: name at least one file, e.g. retain ${name} orders.csv`);
    return 2;
  }
  const engine = await NodeEngine.create();
  try {
    io.out(JSON.stringify(await run(engine, parsed), null, 2));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`retain ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof IngestError) {
      io.err(`retain ${name}: ${error.file}: ${error.problem} ${error.fix}`);
      return 1;
    }
    io.err(`retain ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await engine.close();
  }
}

async function profile(files: string[], io: Io): Promise<number> {
  if (files.length === 0) {
    io.err('retain profile: name at least one file, e.g. retain profile orders.csv');
    return 2;
  }
  const engine = await NodeEngine.create();
  const tables: unknown[] = [];
  const errors: unknown[] = [];
  try {
    for (const file of files) {
      try {
        const result = await loadFile(engine, nodeDecoders, await fromPath(resolve(file)));
        for (const t of result.tables) {
          tables.push({
            file,
            table: t.name,
            format: result.format,
            ...(t.source?.sheet ? { sheet: t.source.sheet } : {}),
            rows: t.rows,
            columns: t.columns,
            ...(result.dialect ? { dialect: result.dialect } : {}),
            ...(result.warnings.length ? { warnings: result.warnings } : {}),
          });
        }
      } catch (error) {
        const detail =
          error instanceof IngestError
            ? { file, problem: error.problem, fix: error.fix }
            : { file, problem: error instanceof Error ? error.message : String(error) };
        errors.push(detail);
        io.err(
          `retain profile: ${file}: ${detail.problem}${'fix' in detail ? ` ${detail.fix}` : ''}`,
        );
      }
    }
  } finally {
    await engine.close();
  }
  io.out(JSON.stringify({ tables, ...(errors.length ? { errors } : {}) }, null, 2));
  return errors.length ? 1 : 0;
}
