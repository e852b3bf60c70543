import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadAndMap } from '../../../src/cli/model.ts';
import { dataFindings } from '../../../src/lib/audit/findings.ts';
import {
  proposeAnswers,
  proposedValue,
  type AuditEvidence,
} from '../../../src/lib/audit/proposals.ts';
import { questionById } from '../../../src/lib/audit/questionnaire.ts';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { toRows } from '../../../src/lib/engine/rows.ts';
import { literal } from '../../../src/lib/sql/quote.ts';
import { datasets } from '../../support/data.ts';

/**
 * The audit's proposed answers on Online Retail, each checked against a figure from
 * its SOURCE.md or a plain SQL over the raw file written here, independently of the
 * analysis modules: the "clean" subset of SOURCE.md (customer present, invoice not
 * starting with C, quantity > 0, unit price > 0) is what the proposed mapping counts.
 */
describe('audit proposals on Online Retail', () => {
  let engine: NodeEngine;
  let evidence: AuditEvidence;
  const file = () => join(inject('sharedData'), datasets.retailParquet);
  const raw = () => `read_parquet(${literal(file())})`;
  const clean = () =>
    `(SELECT * FROM ${raw()} WHERE CustomerID IS NOT NULL AND NOT starts_with(InvoiceNo, 'C') AND Quantity > 0 AND UnitPrice > 0)`;
  const one = async (sql: string) => toRows(await engine.query(sql))[0];

  beforeAll(async () => {
    engine = await NodeEngine.create();
    await loadAndMap(engine, [file()]);
    evidence = await proposeAnswers(engine);
  }, 120_000);
  afterAll(async () => engine?.close());

  it('proposes the repeat purchase rate of the 4,338 customers of SOURCE.md', async () => {
    const r = await one(
      `SELECT count(*) FILTER (WHERE n >= 2)::DOUBLE AS repeaters, count(*)::DOUBLE AS customers
       FROM (SELECT CustomerID, count(DISTINCT InvoiceNo) AS n FROM ${clean()} GROUP BY 1)`,
    );
    expect(r.customers).toBe(4_338); // SOURCE.md
    const p = evidence.proposals.repeat_rate;
    expect(p.status).toBe('proposed');
    expect(p.figures.customers).toBe(4_338);
    expect(p.figures.repeatCustomers).toBe(r.repeaters);
    const expected = Math.round(((r.repeaters as number) / 4_338) * 1000) / 10;
    expect(proposedValue(questionById('overall.repeat_rate')!, p)).toBe(expected);
  });

  it('proposes the top first purchase, counted by customers whose first invoice held it', async () => {
    // First invoice = the customer's earliest invoice date; its descriptions, once per customer.
    const r = await one(
      `WITH firsts AS (
         SELECT CustomerID, InvoiceNo FROM ${clean()}
         QUALIFY InvoiceDate = min(InvoiceDate) OVER (PARTITION BY CustomerID))
       SELECT c.Description AS item, count(DISTINCT c.CustomerID)::DOUBLE AS customers
       FROM ${clean()} c JOIN (SELECT DISTINCT CustomerID, InvoiceNo FROM firsts) f USING (CustomerID, InvoiceNo)
       WHERE c.Description IS NOT NULL
       GROUP BY 1 ORDER BY customers DESC, item LIMIT 1`,
    );
    const p = evidence.proposals.top_first_purchase;
    expect(p.answer?.text).toBe(r.item);
    expect(p.figures.customers).toBe(r.customers);
    expect(p.evidence).toContain(`${(r.customers as number).toLocaleString('en')} customers`);
  });

  it('proposes the returns ratio: lines of C invoices with a customer over those plus the counted lines', async () => {
    const r = await one(
      `SELECT count(*)::DOUBLE AS n FROM ${raw()} WHERE CustomerID IS NOT NULL AND starts_with(InvoiceNo, 'C')`,
    );
    const counted = 397_884; // SOURCE.md, the clean subset's rows
    const p = evidence.proposals.returns_ratio;
    expect(p.figures.returnedLines).toBe(r.n);
    expect(p.figures.lines).toBe(counted + (r.n as number));
    expect(p.answer?.number).toBe(
      Math.round(((r.n as number) / (counted + (r.n as number))) * 1000) / 10,
    );
  });

  it('proposes month-1 retention: cohorts by first month, active the month after, size-weighted', async () => {
    // The data ends 2011-12-09, so December 2011 is partial: cohorts up to October 2011.
    const r = await one(
      `WITH m AS (SELECT DISTINCT CustomerID, date_trunc('month', InvoiceDate) AS month FROM ${clean()}),
       c AS (SELECT CustomerID, min(month) AS cohort FROM m GROUP BY 1)
       SELECT (count(DISTINCT m.CustomerID) FILTER (WHERE m.month = c.cohort + INTERVAL 1 MONTH)
               / count(DISTINCT c.CustomerID))::DOUBLE AS retention
       FROM c LEFT JOIN m USING (CustomerID) WHERE c.cohort <= DATE '2011-10-01'`,
    );
    expect(evidence.metrics.month1Retention! / 100).toBeCloseTo(r.retention as number, 10);
  });

  it('says which data is missing where Online Retail cannot answer', () => {
    const { proposals } = evidence;
    expect(proposals.nps).toMatchObject({
      status: 'missing',
      missing: 'A feedback table with a 0–10 score',
    });
    expect(proposals.holdout_groups.status).toBe('missing');
    expect(proposals.holdout_groups.missing).toMatch(/programme membership/);
    expect(proposals.tickets_per_customer.missing).toMatch(/events table/);
    expect(proposals.traffic_sources.missing).toBe(
      'orders.channel or customers.acquisition_source',
    );
    expect(proposedValue(questionById('data.nps')!, proposals.nps)).toBeUndefined();
  });

  it('raises the month-1 finding from the measured retention (below 25 %)', () => {
    const ids = dataFindings(evidence.metrics).map((f) => f.id);
    expect(evidence.metrics.month1Retention).toBeLessThan(25);
    expect(ids).toContain('data-month1-retention');
    // 65.6 % repeat → 34.4 % one-time buyers, below the 50 % threshold.
    expect(ids).not.toContain('data-one-time-buyers');
  });

  it('stops between steps when cancelled', async () => {
    const controller = new AbortController();
    const run = proposeAnswers(engine, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
