import { describe, expect, inject, it } from 'vitest';
import { featureSources, planFeatures } from '../../src/lib/churn/features.ts';
import type { ChurnProgress } from '../../src/lib/churn/pipeline.ts';
import { TrainClient } from '../../src/lib/churn/train-client.ts';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { datasets, type Dataset } from '../support/data.ts';
import { churnSuite } from '../shared/churn-suite.ts';
import { applyDetected } from '../support/mapping.ts';

async function openDataset(dataset: Dataset) {
  const path = datasets[dataset];
  const response = await fetch(`/@fs${inject('sharedData')}/${path}`);
  if (!response.ok) throw new Error(`Cannot fetch ${path}: ${response.status}`);
  return fromBlob(await response.blob(), path.split('/').pop());
}

churnSuite({
  engine: () => WasmEngine.create(),
  decoders: (signal?: AbortSignal) => new WorkerDecoders(signal),
  open: openDataset,
});

describe('churn model trained in the worker (tfjs WASM backend) on DuckDB-WASM features', () => {
  async function telco() {
    const engine = await WasmEngine.create();
    const table = (await loadFile(engine, new WorkerDecoders(), await openDataset('telco')))
      .tables[0].name;
    await applyDetected(engine, table, 'USD');
    const plan = planFeatures(await featureSources(engine));
    return { engine, features: await engine.query(plan.trainSql) };
  }

  it('Telco: 5-fold mean ROC AUC ≥ 0.845 with progress reported, on the WASM backend', async () => {
    const { engine, features } = await telco();
    const client = new TrainClient();
    expect(await client.backend()).toBe('wasm');
    const progress: ChurnProgress[] = [];
    const r = await client.train(features, null, { kind: 'logistic', folds: 5, seed: 1 }, (p) =>
      progress.push(p),
    );
    expect(r.crossValidation!.meanAuc).toBeGreaterThanOrEqual(0.845);
    expect(r.scores.risk.length).toBe(7043);
    expect(progress.some((p) => p.phase === 'train' && p.epoch)).toBe(true);
    expect(progress.some((p) => p.phase === 'cross-validate' && p.fold === 5)).toBe(true);
    expect(progress.at(-1)!.fraction).toBe(1);
    client.terminate();
    await engine.close();
  }, 120_000);

  it('Cancel stops training at once by terminating the worker; the next run works', async () => {
    const { engine, features } = await telco();
    const client = new TrainClient();
    const controller = new AbortController();
    let epochs = 0;
    const run = client.train(
      features,
      null,
      { kind: 'mlp', folds: 5, maxEpochs: 500, patience: 500 },
      (p) => {
        if (p.epoch) epochs++;
        if (epochs === 2) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const seen = epochs;
    await new Promise((r) => setTimeout(r, 300));
    expect(epochs).toBe(seen);
    const again = await client.train(features, null, { kind: 'logistic' }, () => {});
    expect(again.test.auc).toBeGreaterThan(0.8);
    client.terminate();
    await engine.close();
  }, 120_000);
});
