/**
 * `retain audit DATA... [--notebook NB.json] [--mapping M] [--client NAME] [--report OUT.html]`:
 * the 360° audit's data side with the same code as the app's Audit view: the answers
 * the data proposes (with evidence, or the data that is missing), the data-driven
 * findings, and the ranked M.I.C.E. fix plan of the notebook's findings plus those.
 * With --report, the client report is written as standalone HTML (charts drawn with
 * Plot on jsdom, loaded only then).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { version } from '../../package.json';
import { dataGaps } from '../lib/analyses/gaps.ts';
import { dataFindings } from '../lib/audit/findings.ts';
import { rankFindings } from '../lib/audit/mice.ts';
import { auditProgress } from '../lib/audit/progress.ts';
import { proposeAnswers, proposedValue } from '../lib/audit/proposals.ts';
import { QUESTIONS } from '../lib/audit/questionnaire.ts';
import { renderAuditReport } from '../lib/audit/report.ts';
import { emptyAudit, type AuditDocument } from '../lib/audit/types.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { createProvenance } from '../lib/export/provenance.ts';
import { NotebookError } from '../lib/notebook/errors.ts';
import { parseNotebook } from '../lib/notebook/serialise.ts';
import type { Notebook } from '../lib/notebook/types.ts';
import { ident } from '../lib/sql/quote.ts';
import { UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const AUDIT_FLAGS = ['mapping', 'notebook', 'client', 'report'];

/** An input file that cannot be read; the CLI reports any non-usage error with exit code 1. */
class Unreadable extends Error {}

async function readNotebook(file: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch {
    throw new Unreadable(`cannot read the notebook file ${file}`);
  }
  try {
    return parseNotebook(text);
  } catch (error) {
    if (error instanceof NotebookError) throw new Unreadable(`${file}: ${error.message}`);
    throw error;
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The command; see the module comment. */
export async function auditCommand(engine: NodeEngine, { files, flags }: Parsed) {
  if (flags.report !== undefined && !/\.html?$/i.test(flags.report))
    throw new UsageError(`--report must name an .html file, not "${flags.report}"`);
  if (flags.client !== undefined && (flags.client.trim() === '' || flags.client.length > 300))
    throw new UsageError('--client must be a name of 1 to 300 characters');
  const notebook = flags.notebook ? await readNotebook(flags.notebook) : null;
  const { mapping, notes, tables } = await loadAndMap(engine, files, flags.mapping);
  const evidence = await proposeAnswers(engine);
  const found = dataFindings(evidence.metrics);
  const audit: AuditDocument = structuredClone(notebook?.audit ?? emptyAudit());
  if (flags.client) audit.client = flags.client;
  const known = new Set(audit.findings.map((f) => f.id));
  audit.findings.push(...found.filter((f) => !known.has(f.id)));
  if (flags.report) {
    const { JSDOM } = await import('jsdom');
    const { drawReportCharts } = await import('../lib/audit/report-charts.ts');
    const inputs = [];
    for (const { file, table } of tables) {
      const path = resolve(file);
      const rows = Number(
        (await engine.query(`SELECT count(*)::DOUBLE AS n FROM ${ident(table)}`)).get(0)?.n ?? 0,
      );
      inputs.push({
        file: basename(file),
        table,
        rows,
        size: (await stat(path)).size,
        sha256: await sha256File(path),
      });
    }
    const html = renderAuditReport({
      title: notebook?.title ?? 'Retention audit',
      audit,
      evidence,
      gaps: dataGaps({
        tables: Object.fromEntries(mapping.tables.map((t) => [t.kind, Object.keys(t.columns)])),
      }),
      charts: drawReportCharts(evidence.series, new JSDOM('').window.document),
      provenance: createProvenance({ version, inputs, notebook, mapping }),
    });
    await writeFile(resolve(flags.report), html);
  }
  const proposals = QUESTIONS.filter((q) => q.proposer).map((q) => {
    const p = evidence.proposals[q.proposer!];
    return {
      question: q.id,
      status: p.status,
      value: proposedValue(q, p) ?? null,
      evidence: p.evidence,
      ...(p.missing ? { missing: p.missing } : {}),
    };
  });
  return {
    mapping,
    notes,
    metrics: evidence.metrics,
    proposals,
    findings: found,
    plan: rankFindings(audit.findings).map((r) => ({
      rank: r.rank,
      id: r.finding.id,
      title: r.finding.title,
      m: r.m,
      i: r.i,
      c: r.c,
      e: r.e,
      overall: r.overall,
      horizon: r.horizon,
      kpi: r.finding.kpi ?? null,
      holdout: r.finding.holdout,
    })),
    progress: (({ total, answered, gaps }) => ({ total, answered, gaps }))(auditProgress(audit)),
    ...(flags.report ? { report: resolve(flags.report) } : {}),
  };
}
