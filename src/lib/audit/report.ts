/**
 * The client report of a 360° retention audit: one standalone HTML file (inline CSS,
 * no script, no external address, a Content-Security-Policy that forbids both) that
 * prints to A4 as a consultant's deliverable: title page and executive summary, KPI
 * tiles and charts, every section with its answers, evidence and notes, the data
 * gaps with what would close each, the ranked M.I.C.E. fix plan, and provenance.
 * Every text is escaped; chart SVG (from Observable Plot) goes through checkMarkup.
 */
import type { Gap } from '../analyses/gaps.ts';
import { checkMarkup, escapeHtml } from '../export/markup.ts';
import { formatBytes, mappingSummary, type Provenance } from '../export/provenance.ts';
import { HORIZON_LABELS, MICE_RULES, rankFindings } from './mice.ts';
import { QUESTIONS, SECTIONS, questionsOf, type Question } from './questionnaire.ts';
import type { AuditEvidence } from './proposals.ts';
import { auditCss } from './report-style.ts';
import { auditProgress, formatAnswer } from './progress.ts';
import type { AuditDocument } from './types.ts';

/** A chart for the report: SVG drawn by Observable Plot, with a caption. */
export interface ReportChart {
  title: string;
  svg: string;
  caption?: string;
}

export interface AuditReportInput {
  title: string;
  audit: AuditDocument;
  provenance: Provenance;
  /** What the data measured, for the KPI tiles and the gaps' remedies; null without data. */
  evidence: AuditEvidence | null;
  /** Analyses the loaded data cannot support (analyses/gaps.ts). */
  gaps: readonly Gap[];
  charts: readonly ReportChart[];
}

const h = escapeHtml;
/** The horizon in the fix-plan table, where the column is narrow. */
const SHORT_LABELS = {
  'short-term': 'Short-term',
  'long-term': 'Long-term',
  later: 'Later',
} as const;
const pct = (x: number) => `${x.toLocaleString('en', { maximumFractionDigits: 1 })} %`;

/** The report as one HTML document; see the module comment. */
export function renderAuditReport(input: AuditReportInput): string {
  const { audit, provenance } = input;
  const client = audit.client?.trim() || 'the client';
  const title = input.title.trim() || 'Retention audit';
  const head = `360° retention audit · ${audit.client?.trim() || title}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${h(`${provenance.app.name} ${provenance.app.version}`)}">
<title>${h(`${title}: 360° retention audit`)}</title>
<style>${auditCss(head)}</style>
</head>
<body>
<header class="title-page">
<p class="kicker">360° retention audit</p>
<h1>${h(title)}</h1>
<p class="client">Prepared for ${h(client)}</p>
<p class="meta">${h(displayDate(provenance.createdAt))} · ${h(`${provenance.app.name} ${provenance.app.version}`)}</p>
</header>
<main>
${summary(input)}
${charts(input.charts)}
${sections(audit)}
${gapsPart(input)}
${planPart(audit)}
</main>
${provenancePart(provenance)}
</body>
</html>
`;
}

function summary({ audit, evidence }: AuditReportInput): string {
  const progress = auditProgress(audit);
  const ranked = rankFindings(audit.findings);
  const short = ranked.filter((r) => r.horizon === 'short-term').length;
  const long = ranked.filter((r) => r.horizon === 'long-term').length;
  const m = evidence?.metrics;
  const tiles: [string, string][] = [];
  if (m?.customers != null) tiles.push([m.customers.toLocaleString('en'), 'Customers']);
  if (m?.repeatRate != null) tiles.push([pct(m.repeatRate), 'Buy more than once']);
  if (m?.month1Retention != null) tiles.push([pct(m.month1Retention), 'Month-1 retention']);
  if (m?.nps != null) tiles.push([String(Math.round(m.nps)), 'Net Promoter Score']);
  if (m?.returnsRatio != null) tiles.push([pct(m.returnsRatio), 'Order lines returned']);
  if (m?.atRisk) tiles.push([pct(m.atRisk.revenueShare), 'Revenue in at-risk segments']);
  // "Fix first" names fixes: a finding classed as "later" is, by definition, not one of them.
  const top = ranked.filter((r) => r.horizon !== 'later').slice(0, 3);
  return `<section class="summary">
<h2>Executive summary</h2>
<p class="lead">${h(
    `${progress.answered} of ${progress.total} questions are answered across ${SECTIONS.length} sections; ` +
      `${progress.gaps} ${progress.gaps === 1 ? 'is' : 'are'} marked as a data gap. ` +
      `The audit records ${ranked.length} ${ranked.length === 1 ? 'finding' : 'findings'}: ` +
      `${short} short-term ${short === 1 ? 'fix' : 'fixes'} and ${long} long-term ${long === 1 ? 'fix' : 'fixes'}.`,
  )}</p>
${
  tiles.length
    ? `<ul class="tiles">${tiles.map(([v, l]) => `<li><span class="value">${h(v)}</span><span class="label">${h(l)}</span></li>`).join('')}</ul>`
    : `<p class="open">${
        evidence
          ? 'The data loaded has no orders, so there are no headline order figures; the answers below come from the interview and what the data could propose.'
          : 'No data was loaded, so the figures below come from the interview alone.'
      }</p>`
}
${
  top.length
    ? `<h3>Fix first</h3>
<ol class="priorities">${top
        .map(
          (r) =>
            `<li><strong>${h(r.finding.title)}</strong> (${h(HORIZON_LABELS[r.horizon].toLowerCase())}, score ${r.overall} of 40)${r.finding.kpi ? `: measure by ${h(kpiText(r.finding.kpi))}` : ''}</li>`,
        )
        .join('')}</ol>`
    : ''
}
</section>`;
}

function charts(list: readonly ReportChart[]): string {
  if (list.length === 0) return '';
  return `<section class="report-part kpis">
<h2>Key figures</h2>
${list
  .map((c) => {
    const check = checkMarkup(c.svg);
    const body = check.ok
      ? check.markup
      : `<p class="refused">This chart was left out: it contains ${h(check.reason)}.</p>`;
    return `<figure class="chart"><figcaption>${h(c.title)}</figcaption>${body}${c.caption ? `<p>${h(c.caption)}</p>` : ''}</figure>`;
  })
  .join('\n')}
</section>`;
}

/** The sections with something recorded, in order; the others are named together first. */
function sections(audit: AuditDocument): string {
  const progress = auditProgress(audit);
  const untouched: string[] = [];
  const parts = SECTIONS.map((section) => {
    const qs = questionsOf(section.id);
    const p = progress.sections[section.id];
    const items: string[] = [];
    const open: string[] = [];
    for (const q of qs) {
      const a = audit.answers[q.id];
      if (a?.unable) {
        items.push(
          `<dt>${h(q.text)}</dt><dd><span class="gap-mark">Unable to answer: a data gap.</span>${a.note ? `<span class="note">${h(a.note)}</span>` : ''}</dd>`,
        );
      } else if (a?.value !== undefined) {
        const from =
          a.source === 'data'
            ? `<span class="evidence">From the data: ${h(a.evidence ?? '')}</span>`
            : '';
        items.push(
          `<dt>${h(q.text)}</dt><dd>${h(formatAnswer(q, a.value))}${from}${a.note ? `<span class="note">${h(a.note)}</span>` : ''}</dd>`,
        );
      } else if (a?.note) {
        items.push(`<dt>${h(q.text)}</dt><dd><span class="note">${h(a.note)}</span></dd>`);
      } else {
        open.push(q.text);
      }
    }
    if (items.length === 0) {
      untouched.push(`${section.number}. ${section.title}`);
      return '';
    }
    return `<section class="audit-section" id="section-${h(section.id)}">
<div class="section-head"><h2>${section.number}. ${h(section.title)}</h2><span class="progress">${p.answered + p.gaps} of ${p.total} covered</span></div>
<p class="purpose">${h(section.purpose)}</p>
<dl class="answers">${items.join('\n')}</dl>
${open.length ? `<p class="open">Not discussed: ${h(open.join('; '))}.</p>` : ''}
</section>`;
  }).filter(Boolean);
  // Untouched sections are named once up front rather than printed as empty pages.
  const intro = untouched.length
    ? `<p class="open">${h(`Nothing was recorded yet for ${untouched.join(', ')}.`)}</p>`
    : '';
  parts.unshift(`<h2>Answers by section</h2>\n${intro}`);
  return `<div class="audit-sections">\n${parts.join('\n')}\n</div>`;
}

/** Each question marked unable to answer, with what closes it, then the analyses the data lacks. */
export function auditGaps(
  audit: AuditDocument,
  evidence: AuditEvidence | null,
): { question: Question; closes: string }[] {
  return QUESTIONS.filter((q) => audit.answers[q.id]?.unable).map((q) => {
    const proposal = q.proposer ? evidence?.proposals[q.proposer] : undefined;
    const closes =
      proposal?.status === 'missing'
        ? `${proposal.missing}: ${proposal.evidence}`
        : q.proposer
          ? 'The data could answer this once loaded and mapped; otherwise ask the owner of the figure.'
          : 'An answer from the team that owns this area, or a record of it kept from now on.';
    return { question: q, closes };
  });
}

function gapsPart({ audit, evidence, gaps }: AuditReportInput): string {
  const questions = auditGaps(audit, evidence);
  const rows = [
    ...questions.map(
      (g) =>
        `<tr><td>${h(g.question.text)}<span class="sub">Audit question, ${h(SECTIONS.find((s) => s.id === g.question.section)!.title)}</span></td><td>${h(g.closes)}</td></tr>`,
    ),
    ...gaps.map(
      (g) =>
        `<tr><td>${h(g.analysis)}<span class="sub">Analysis</span></td><td>${h(`${g.missing}. ${g.because}`)}</td></tr>`,
    ),
  ];
  return `<section class="report-part gaps-part">
<h2>Data gaps</h2>
<p>What the audit could not establish, and the data that would close each gap.</p>
${
  rows.length
    ? `<div class="table-wrap"><table class="gaps"><colgroup><col class="gap"><col></colgroup><thead><tr><th scope="col">Gap</th><th scope="col">What would close it</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`
    : '<p class="open">No data gaps were recorded.</p>'
}
</section>`;
}

function planPart(audit: AuditDocument): string {
  const ranked = rankFindings(audit.findings);
  const rows = ranked.map(
    (r) =>
      `<tr><td class="num">${r.rank}</td><td><strong>${h(r.finding.title)}</strong>${r.finding.detail ? `<span class="sub">${h(r.finding.detail)}</span>` : ''}</td><td class="num">${r.m}</td><td class="num">${r.i}</td><td class="num">${r.c}</td><td class="num">${r.e}</td><td class="num score">${r.overall}</td><td><span class="horizon ${r.horizon}">${h(SHORT_LABELS[r.horizon])}</span></td><td>${r.finding.kpi ? h(kpiText(r.finding.kpi)) : '<span class="sub">none set</span>'}</td><td>${r.finding.holdout ? 'Yes' : 'No'}</td></tr>`,
  );
  return `<section class="report-part plan-part">
<h2>Fix plan</h2>
<p>Findings ranked by M.I.C.E.: M = 10 − departments needed, I = impact, C = confidence that current resources can fix it, E = ease; the score is their sum (at most 40).</p>
${
  rows.length
    ? `<div class="table-wrap"><table class="plan"><colgroup><col class="rank"><col class="f"><col class="n"><col class="n"><col class="n"><col class="n"><col class="score"><col class="hz"><col class="kpi"><col class="ho"></colgroup><thead><tr><th scope="col" class="num">#</th><th scope="col">Finding</th><th scope="col" class="num">M</th><th scope="col" class="num">I</th><th scope="col" class="num">C</th><th scope="col" class="num">E</th><th scope="col" class="num">Score</th><th scope="col">Horizon</th><th scope="col">Baseline KPI</th><th scope="col">Holdout</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`
    : '<p class="open">No findings were recorded.</p>'
}
<p class="rule">${h(`Short-term: ease of ${MICE_RULES.shortTermMinEase} or more and a score of ${MICE_RULES.shortTermMinOverall} or more. Long-term: impact of ${MICE_RULES.longTermMinImpact} or more otherwise. Measure each fix against its baseline KPI; where a holdout is marked, keep a group of customers out of the change for the whole measurement period.`)}</p>
</section>`;
}

function kpiText(kpi: { name: string; value: number | null; unit?: string }): string {
  if (kpi.value === null) return `${kpi.name} (not yet measured)`;
  const value = kpi.value.toLocaleString('en', { maximumFractionDigits: 2 });
  return `${kpi.name} ${value}${kpi.unit ? (kpi.unit === '%' ? ' %' : ` ${kpi.unit}`) : ''}`;
}

function provenancePart(p: Provenance): string {
  const defs = (pairs: [string, string][]) =>
    `<dl>${pairs.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>`;
  const inputs = p.inputs.length
    ? `<div class="table-wrap"><table><thead><tr><th scope="col">File</th><th scope="col">Table</th><th scope="col">Rows</th><th scope="col">Size</th><th scope="col">SHA-256</th></tr></thead><tbody>
${p.inputs.map((i) => `<tr><td>${h(i.file)}</td><td>${h(i.table)}</td><td class="num">${i.rows.toLocaleString('en')}</td><td class="num">${h(formatBytes(i.size))}</td><td class="hash">${h(i.sha256)}</td></tr>`).join('\n')}
</tbody></table></div>`
    : '<p>No input files.</p>';
  const mapping = mappingSummary(p.mapping);
  return `<footer>
<h2>Provenance</h2>
${defs([
  ['Created with', `${p.app.name} ${p.app.version}`],
  ['Exported', p.createdAt],
  ...(p.notebook
    ? [['Notebook', `${p.notebook.title} (${p.notebook.id})`] as [string, string]]
    : []),
])}
<h3>Inputs</h3>
${inputs}
<h3>Mapping</h3>
${mapping.length ? `<ul>${mapping.map((l) => `<li>${h(l)}</li>`).join('')}</ul>` : '<p>No mapping.</p>'}
</footer>`;
}

/** "3 December 2026" from an ISO timestamp (UTC). */
function displayDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
