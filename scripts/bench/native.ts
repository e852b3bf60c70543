/**
 * The native side of `npm run bench`: @duckdb/node-api (every core, in memory) reads
 * the same files, maps them with the mapping Retain proposes (as the tab does when the
 * proposal is confirmed), and runs the same steps (bench/steps.ts); tfjs trains on the
 * same churn table in Node (WASM backend, single-threaded, as in the tab's worker).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { STEPS, runStep, type StepName } from '../../bench/steps.ts';
import { churnData } from '../../bench/churn-data.ts';
import { datasetFromArrow } from '../../src/lib/churn/dataset.ts';
import { runChurn } from '../../src/lib/churn/pipeline.ts';
import { NodeEngine } from '../../src/lib/engine/node.ts';
import { detectMapping } from '../../src/lib/schema/detect.ts';
import { applyMapping } from '../../src/lib/schema/views.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import type { OrderFiles } from './generate.ts';

/** Milliseconds for `task`. */
export async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

/** Native figures for one size: every run of every step. */
export interface NativeSize {
  version: string;
  ingestCsv: number[];
  ingestParquet: number[];
  mapping: number;
  steps: Partial<Record<StepName, number[]>>;
  errors: Partial<Record<StepName, string>>;
}

/** Map the `sales` table with the mapping Retain proposes, as a person confirming it would. */
export async function mapSales(engine: NodeEngine) {
  const { proposal } = await detectMapping(engine, 'sales');
  if (proposal?.mapping.kind !== 'orders')
    throw new Error('Retain did not propose the benchmark table as orders.');
  await applyMapping(engine, {
    version: 1,
    tables: [proposal.mapping],
    currency: 'GBP',
    timeZone: 'UTC',
  });
}

/** Steps that run in a child process, so they can be stopped at the limit (synchronous fits). */
const SEPARATE = new Set<StepName>(['bgnbd']);

/**
 * `runs` runs of `step` in scripts/bench/native-step.ts; stops the child when one run
 * takes longer than `limitMs` and keeps the runs that finished (none: an error).
 */
function stepInChild(file: string, step: StepName, runs: number, limitMs: number) {
  return new Promise<number[]>((done, fail) => {
    const script = resolve(import.meta.dirname, 'native-step.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, step, String(runs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const times: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    // Loading and mapping come first and are not limited; each run is.
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stopped = true;
        child.kill('SIGKILL');
      }, limitMs);
    };
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{"ms"')) {
          times.push((JSON.parse(line) as { ms: number }).ms);
          arm();
        } else if (line === 'mapped') arm();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (times.length) done(times);
      else if (stopped) fail(new Error(`stopped at the ${limitMs / 1000} s limit (--step-limit)`));
      else fail(new Error(`the native ${step} step exited with code ${code}`));
    });
  });
}

/** Ingest each file `runs` times into a fresh table, then map and run every step `runs` times. */
export async function nativeSize(
  files: OrderFiles,
  runs: number,
  limitMs: number,
): Promise<NativeSize> {
  const engine = await NodeEngine.create();
  try {
    const out: NativeSize = {
      version: engine.info.version,
      ingestCsv: [],
      ingestParquet: [],
      mapping: 0,
      steps: {},
      errors: {},
    };
    for (let i = 0; i < runs; i++) {
      await engine.exec('DROP TABLE IF EXISTS sales');
      out.ingestCsv.push(
        await time(() =>
          engine.exec(`CREATE TABLE sales AS SELECT * FROM read_csv(${literal(files.csv)})`),
        ),
      );
      await engine.exec('DROP TABLE IF EXISTS sales');
      out.ingestParquet.push(
        await time(() =>
          engine.exec(
            `CREATE TABLE sales AS SELECT * FROM read_parquet(${literal(files.parquet)})`,
          ),
        ),
      );
    }
    out.mapping = await time(() => mapSales(engine));
    for (const { name } of STEPS) {
      const times: number[] = [];
      try {
        if (SEPARATE.has(name)) {
          times.push(...(await stepInChild(files.parquet, name, runs, limitMs)));
        } else {
          for (let i = 0; i < runs; i++) times.push(await time(() => runStep(engine, name)));
        }
        out.steps[name] = times;
      } catch (error) {
        out.errors[name] = error instanceof Error ? error.message : String(error);
      }
    }
    return out;
  } finally {
    await engine.close();
  }
}

/** Node training times (whole churn run, as bench:churn measures it) per model. */
export async function nativeTraining(
  n: number,
  seed: number,
  runs: number,
): Promise<Record<'logistic' | 'mlp', number[]>> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its WASM backend.');
  await tf.ready();
  const raw = datasetFromArrow(churnData(n, seed).table);
  const out = { logistic: [] as number[], mlp: [] as number[] };
  for (const kind of ['logistic', 'mlp'] as const) {
    for (let i = 0; i < runs; i++)
      out[kind].push(await time(() => runChurn({ train: raw }, { kind, seed: 42 }, () => {})));
  }
  return out;
}
