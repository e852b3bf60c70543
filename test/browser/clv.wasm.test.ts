import { describe, expect, inject, it } from 'vitest';
import { clvAnalysis, type ClvProgress } from '../../src/lib/analyses/clv.ts';
import { FitClient } from '../../src/lib/analyses/fit-client.ts';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { fromBlob } from '../../src/lib/ingest/input.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { WorkerDecoders } from '../../src/lib/ingest/worker-decoders.ts';
import { applyMapping } from '../../src/lib/schema/views.ts';
import { datasets, type Dataset } from '../support/data.ts';
import { clvSuite } from '../shared/clv-suite.ts';

/** The customer-future-value suite on DuckDB-WASM in Chromium (the same suite runs on native DuckDB in test/unit). */
async function openDataset(dataset: Dataset) {
  const path = datasets[dataset];
  const response = await fetch(`/@fs${inject('sharedData')}/${path}`);
  if (!response.ok) throw new Error(`Cannot fetch ${path}: ${response.status}`);
  return fromBlob(await response.blob(), path.split('/').pop());
}

clvSuite({
  engine: () => WasmEngine.create(),
  decoders: (signal?: AbortSignal) => new WorkerDecoders(signal),
  open: openDataset,
});

describe('BG/NBD and Gamma-Gamma fitted in the worker', () => {
  async function cdnow() {
    const engine = await WasmEngine.create();
    const { tables } = await loadFile(
      engine,
      new WorkerDecoders(),
      await openDataset('cdnowSample'),
    );
    await applyMapping(engine, {
      version: 1,
      currency: 'USD',
      timeZone: 'UTC',
      tables: [
        {
          source: tables[0].name,
          kind: 'orders',
          columns: { customer_id: 'column1', order_ts: 'column2', amount: 'column4' },
          parse: { order_ts: { date: '%Y%m%d' } },
          amount: 'column',
          include: { cancelled: false, nonPositive: true, duplicates: true },
          attributes: [],
        },
      ],
    });
    return engine;
  }
  const params = { unit: 'week' as const, calibrationEnd: new Date('1997-09-30T00:00:00Z') };
  const options = { horizon: 39, margin: 1, annualDiscount: 0 };

  it('CDNOW: the worker gives the published r 0.243 and a 0.793 (± 0.001) with progress', async () => {
    const engine = await cdnow();
    const client = new FitClient();
    const progress: ClvProgress[] = [];
    const r = await clvAnalysis(engine, params, options, client.fitter(), (p) => progress.push(p));
    expect(Math.abs(r.bgnbd.r - 0.243)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(r.bgnbd.a - 0.793)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(r.gammaGamma!.p - 6.25)).toBeLessThanOrEqual(0.01);
    expect(r.customers).toHaveLength(2357);
    // The columns come back from the worker; each row is the one the in-thread model gives.
    const local = await clvAnalysis(engine, params, options);
    expect(r.customers.toArray()).toEqual(local.customers.toArray());
    expect(r.customers.find((c) => c.customer_id === '0001')?.x).toBe(2);
    expect([r.bySource, r.byCohort, r.totals]).toEqual([
      local.bySource,
      local.byCohort,
      local.totals,
    ]);
    expect(progress.map((p) => p.stage)).toEqual(
      expect.arrayContaining(['bgnbd', 'gamma-gamma', 'customers', 'holdout']),
    );
    client.terminate();
    await engine.close();
  }, 120_000);

  it('Cancel rejects at once by terminating the worker; the next fit works', async () => {
    const engine = await cdnow();
    const client = new FitClient();
    const controller = new AbortController();
    const run = clvAnalysis(engine, params, options, client.fitter(controller.signal), (p) => {
      if (p.stage === 'bgnbd') controller.abort();
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const again = await clvAnalysis(engine, params, options, client.fitter());
    expect(again.usable).toBe(true);
    client.terminate();
    await engine.close();
  }, 120_000);
});
