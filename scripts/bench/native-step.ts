/**
 * One native step in its own process, so `npm run bench` can stop it at its time limit
 * (the BG/NBD fit is synchronous JavaScript and cannot be interrupted in-process):
 *   node --import tsx scripts/bench/native-step.ts FILE.parquet STEP RUNS
 * loads and maps the file (not timed), then prints one JSON line `{"ms": …}` per run.
 */
import { runStep, type StepName } from '../../bench/steps.ts';
import { NodeEngine } from '../../src/lib/engine/node.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import { mapSales, time } from './native.ts';

const [file, step, runs] = process.argv.slice(2);
const engine = await NodeEngine.create();
await engine.exec(`CREATE TABLE sales AS SELECT * FROM read_parquet(${literal(file)})`);
await mapSales(engine);
console.log('mapped');
for (let i = 0; i < Number(runs); i++)
  console.log(JSON.stringify({ ms: await time(() => runStep(engine, step as StepName)) }));
await engine.close();
