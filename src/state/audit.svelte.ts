import { dataFindings } from '../lib/audit/findings.ts';
import { rankFindings, type RankedFinding } from '../lib/audit/mice.ts';
import { auditProgress } from '../lib/audit/progress.ts';
import { proposeAnswers, proposedValue, type AuditEvidence } from '../lib/audit/proposals.ts';
import { questionById } from '../lib/audit/questionnaire.ts';
import { renderAuditReport } from '../lib/audit/report.ts';
import {
  emptyAudit,
  type AnswerValue,
  type AuditAnswer,
  type AuditDocument,
  type AuditFinding,
} from '../lib/audit/types.ts';
import { validateAudit } from '../lib/audit/validate.ts';
import { isCancelled } from '../lib/engine/types.ts';
import { encodeShareLink } from '../lib/notebook/link.ts';
import { downloadBlob } from './download.ts';
import type { Model } from './model.svelte.ts';
import { provenanceOf } from './notebook-export.ts';
import type { NotebookState } from './notebook.svelte.ts';
import type { Session } from './session.svelte.ts';

/**
 * The Audit view's model. Answers and findings live in the current notebook's
 * `audit` field, so they are saved (IndexedDB, files) and undone with it; every
 * change goes through validateAudit, the same check a file or link gets. The
 * data's proposals are kept here only: they are recomputed from the loaded data.
 */
export class AuditState {
  evidence = $state.raw<AuditEvidence | null>(null);
  running = $state(false);
  progress = $state(0);
  step = $state('');
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  #controller: AbortController | null = null;

  constructor(
    private session: Session,
    private model: Model,
    private notebooks: NotebookState,
  ) {}

  /** The current notebook's audit (an empty one until something is recorded). */
  get audit(): AuditDocument {
    return this.notebooks.current?.audit ?? emptyAudit();
  }

  /** The findings in fix-first order with their M.I.C.E. scores. */
  get ranked(): RankedFinding[] {
    return rankFindings(this.audit.findings);
  }

  /** Answered and gap counts, overall and per section. */
  get counts(): ReturnType<typeof auditProgress> {
    return auditProgress(this.audit);
  }

  #change(change: (audit: AuditDocument) => void) {
    this.notebooks.edit((nb) => {
      const audit = structuredClone(nb.audit ?? emptyAudit());
      change(audit);
      return { ...nb, audit: validateAudit(audit) };
    });
  }

  #answer(id: string, change: (a: AuditAnswer) => AuditAnswer) {
    this.#change((audit) => {
      const next = change({ ...audit.answers[id] });
      if (Object.keys(next).length === 0) delete audit.answers[id];
      else audit.answers[id] = next;
    });
  }

  setClient(name: string) {
    this.#change((a) => {
      if (name.trim()) a.client = name.trim();
      else delete a.client;
    });
  }

  /** Record the user's answer; `undefined` clears it. */
  setValue(id: string, value: AnswerValue | undefined) {
    this.#answer(id, ({ value: _old, source: _s, evidence: _e, unable: _u, ...rest }) =>
      value === undefined || value === '' ? rest : { ...rest, value, source: 'user' },
    );
  }

  /** Mark (or unmark) a question nobody can answer: a data gap. */
  setUnable(id: string, unable: boolean) {
    this.#answer(id, ({ value: _v, source: _s, evidence: _e, unable: _u, ...rest }) =>
      unable ? { ...rest, unable: true } : rest,
    );
  }

  setNote(id: string, note: string) {
    this.#answer(id, ({ note: _n, ...rest }) => (note.trim() ? { ...rest, note } : rest));
  }

  /** Take the data's proposal as the answer, with its evidence. */
  accept(id: string) {
    const question = questionById(id);
    const proposal = question?.proposer ? this.evidence?.proposals[question.proposer] : undefined;
    const value = question && proposedValue(question, proposal);
    if (value === undefined || !proposal) return;
    this.#answer(id, ({ note }) => ({
      value,
      source: 'data',
      evidence: proposal.evidence,
      ...(note ? { note } : {}),
    }));
  }

  addFinding(fields: Partial<AuditFinding> & { title: string }) {
    this.#change((a) => {
      a.findings.push({
        id: `f-${crypto.randomUUID().slice(0, 8)}`,
        origin: 'user',
        departments: 1,
        impact: 5,
        confidence: 5,
        ease: 5,
        holdout: false,
        ...fields,
      });
    });
  }

  updateFinding(id: string, patch: Partial<AuditFinding>) {
    this.#change((a) => {
      a.findings = a.findings.map((f) => (f.id === id ? { ...f, ...patch, id } : f));
    });
  }

  removeFinding(id: string) {
    this.#change((a) => {
      a.findings = a.findings.filter((f) => f.id !== id);
    });
  }

  /** Add the findings the data raises that are not in the audit yet; says how many. */
  addDataFindings() {
    if (!this.evidence) return;
    const known = new Set(this.audit.findings.map((f) => f.id));
    const fresh = dataFindings(this.evidence.metrics).filter((f) => !known.has(f.id));
    if (fresh.length) this.#change((a) => a.findings.push(...fresh));
    this.message =
      fresh.length === 0
        ? 'The data raises no finding that is not already in the plan.'
        : `Added ${fresh.length} ${fresh.length === 1 ? 'finding' : 'findings'} from the data.`;
  }

  /** Let the data propose answers; runs in the database worker and can be cancelled. */
  async propose() {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.progress = 0;
    this.error = null;
    try {
      const engine = await this.session.engine;
      this.evidence = await proposeAnswers(engine, {
        signal: controller.signal,
        onProgress: (fraction, step) => {
          this.progress = fraction;
          this.step = step;
        },
      });
    } catch (error) {
      if (!isCancelled(error)) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (this.#controller === controller) {
        this.running = false;
        this.#controller = null;
      }
    }
  }

  cancel() {
    this.#controller?.abort();
    this.running = false;
  }

  /** Download the client report as one HTML file (charts drawn here with Plot). */
  /** The client report as one HTML document (the Report view shows it; export downloads it). */
  async reportHtml(): Promise<string | null> {
    const notebook = this.notebooks.current;
    if (!notebook) return null;
    const { drawReportCharts } = await import('../lib/audit/report-charts.ts');
    return renderAuditReport({
      title: notebook.title,
      audit: this.audit,
      evidence: this.evidence,
      gaps: this.model.mapping ? this.model.gaps : [],
      charts: this.evidence ? drawReportCharts(this.evidence.series, document) : [],
      provenance: provenanceOf(this.session, this.model, this.notebooks),
    });
  }

  async exportReport() {
    const notebook = this.notebooks.current;
    const html = await this.reportHtml();
    if (!notebook || html === null) return;
    const base = (this.audit.client || notebook.title || 'audit')
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 60);
    downloadBlob(`${base}-retention-audit.html`, new Blob([html], { type: 'text/html' }));
  }

  /** A share link of the notebook; the audit's answers only when `includeAudit`. */
  async shareLink(includeAudit: boolean): Promise<string> {
    const notebook = this.notebooks.current;
    if (!notebook) throw new Error('Open a notebook first.');
    const hash = await encodeShareLink(notebook, { includeMapping: false, includeAudit });
    return `${location.origin}${location.pathname}${hash}`;
  }
}
