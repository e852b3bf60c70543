/**
 * The native side of `npm run bench`: @duckdb/node-api (every core, in memory) reads
 * the same files, maps them with the mapping Retain proposes (as the tab does when the
 * proposal is confirmed), and runs the same steps (bench/steps.ts); tfjs trains on the
 * same churn table in Node (WASM backend, single-threaded, as in the tab's worker).
 */
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

/** Ingest each file `runs` times into a fresh table, then map and run every step `runs` times. */
export async function nativeSize(files: OrderFiles, runs: number): Promise<NativeSize> {
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
    out.mapping = await time(async () => {
      const { proposal } = await detectMapping(engine, 'sales');
      if (proposal?.mapping.kind !== 'orders')
        throw new Error('Retain did not propose the benchmark table as orders.');
      await applyMapping(engine, {
        version: 1,
        tables: [proposal.mapping],
        currency: 'GBP',
        timeZone: 'UTC',
      });
    });
    for (const { name } of STEPS) {
      const times: number[] = [];
      try {
        for (let i = 0; i < runs; i++) times.push(await time(() => runStep(engine, name)));
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
