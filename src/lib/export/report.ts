import type { Cell } from '../engine/rows.ts';
import { formatCell, formatDuration } from '../format.ts';
import type { CellKind, Notebook } from '../notebook/types.ts';
import { checkMarkup, escapeHtml } from './markup.ts';
import { formatBytes, mappingSummary, type Provenance } from './provenance.ts';
import { REPORT_CSS } from './report-style.ts';

export { escapeHtml } from './markup.ts';

export interface ReportTable {
  columns: string[];
  types?: string[];
  /** The rows to show (already limited by the caller). */
  rows: Cell[][];
  /** Rows in the whole result; the difference is reported as "N more rows not shown". */
  rowCount: number;
  elapsedMs?: number;
}

export interface ReportCell {
  id: string;
  kind: CellKind;
  title?: string;
  /**
   * Markdown rendered to HTML and ALREADY SANITISED by the caller (DOMPurify). Inserted
   * as given after {@link checkMarkup}; never pass unsanitised user HTML here.
   */
  html?: string;
  sql?: string;
  table?: ReportTable;
  /**
   * Chart SVG markup produced by Observable Plot. Inserted as given after
   * {@link checkMarkup}; it must come from Plot, never from user text.
   */
  svg?: string;
  error?: string;
}

export interface ReportInput {
  notebook: Notebook;
  cells: ReportCell[];
  provenance: Provenance;
}

export interface ReportOptions {
  /** At most this many rows per table, even if more are given. Default 1000. */
  maxRows?: number;
}

/**
 * A standalone HTML report of a notebook run: one file with inline CSS, no script and
 * no external URL, so it opens offline and prints on A4. Every text value is escaped;
 * only `html` and `svg` are inserted as markup, and only if {@link checkMarkup} passes.
 * A Content-Security-Policy forbidding scripts and fetches backs this up.
 */
export function renderReport(input: ReportInput, options: ReportOptions = {}): string {
  const { notebook, provenance } = input;
  const maxRows = options.maxRows ?? 1000;
  const title = notebook.title.trim() || 'Untitled notebook';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(`${provenance.app.name} ${provenance.app.version}`)}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(displayTime(provenance.createdAt))}</p>
</header>
<main>
${input.cells.map((cell) => renderCell(cell, maxRows)).join('\n')}
</main>
${renderProvenance(provenance)}
</body>
</html>
`;
}

const KIND_LABELS: Record<CellKind, string> = {
  markdown: '',
  sql: 'Query',
  chart: 'Chart',
  analysis: 'Analysis',
};

function renderCell(cell: ReportCell, maxRows: number): string {
  const parts: string[] = [];
  const heading = cell.title ?? KIND_LABELS[cell.kind];
  if (heading) parts.push(`<h2>${escapeHtml(heading)}</h2>`);
  if (cell.html !== undefined) parts.push(markup(cell.html, 'div', 'markdown'));
  if (cell.sql !== undefined) parts.push(`<pre><code>${escapeHtml(cell.sql)}</code></pre>`);
  if (cell.svg !== undefined) parts.push(markup(cell.svg, 'figure', 'chart'));
  if (cell.table) parts.push(renderTable(cell.table, maxRows));
  if (cell.error !== undefined) parts.push(`<p class="error">${escapeHtml(cell.error)}</p>`);
  const kind = escapeHtml(cell.kind);
  return `<section class="cell ${kind}" id="cell-${escapeHtml(cell.id)}">\n${parts.join('\n')}\n</section>`;
}

function markup(text: string, tag: 'div' | 'figure', className: string): string {
  const check = checkMarkup(text);
  if (!check.ok) {
    return `<p class="refused">This ${className === 'chart' ? 'chart' : 'text'} was left out: it contains ${escapeHtml(check.reason)}.</p>`;
  }
  return `<${tag} class="${className}">${check.markup}</${tag}>`;
}

function renderTable(table: ReportTable, maxRows: number): string {
  const rows = table.rows.slice(0, Math.max(0, maxRows));
  const head = table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = table.columns.map((_, c) => {
        const value = row[c] ?? null;
        const cls =
          value === null ? ' class="null"' : typeof value === 'number' ? ' class="num"' : '';
        return `<td${cls}>${escapeHtml(formatCell(value, table.types?.[c]))}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const hidden = Math.max(0, table.rowCount - rows.length);
  const notes = [`${table.rowCount.toLocaleString('en')} ${table.rowCount === 1 ? 'row' : 'rows'}`];
  if (hidden > 0) {
    notes.push(`${hidden.toLocaleString('en')} more ${hidden === 1 ? 'row' : 'rows'} not shown`);
  }
  if (table.elapsedMs !== undefined) notes.push(`ran in ${formatDuration(table.elapsedMs)}`);
  return `<div class="table-wrap"><table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
<p class="note">${escapeHtml(notes.join(' · '))}</p>`;
}

function renderProvenance(p: Provenance): string {
  const meta = [
    ['Created with', `${p.app.name} ${p.app.version}`],
    ['Exported', p.createdAt],
    ...(p.notebook ? [['Notebook', `${p.notebook.title} (${p.notebook.id})`]] : []),
  ];
  const inputs = p.inputs.length
    ? `<div class="table-wrap"><table>
<thead><tr><th scope="col">File</th><th scope="col">Table</th><th scope="col">Rows</th><th scope="col">Size</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
${p.inputs
  .map(
    (i) =>
      `<tr><td>${escapeHtml(i.file)}</td><td>${escapeHtml(i.table)}</td><td class="num">${i.rows.toLocaleString('en')}</td><td class="num">${escapeHtml(formatBytes(i.size))}</td><td class="hash">${escapeHtml(i.sha256)}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table></div>`
    : '<p>No input files.</p>';
  const mapping = mappingSummary(p.mapping);
  const params = Object.entries(p.parameters);
  return `<footer>
<h2>Provenance</h2>
${definitions(meta)}
<h3>Inputs</h3>
${inputs}
<h3>Mapping</h3>
${mapping.length ? `<ul>${mapping.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '<p>No mapping.</p>'}
<h3>Parameters</h3>
${params.length ? definitions(params.map(([k, v]) => [k, v === null ? '(empty)' : String(v)])) : '<p>None.</p>'}
${p.safeSharing?.length ? `<h3>Safe sharing</h3>\n<ul>${p.safeSharing.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
</footer>`;
}

function definitions(pairs: string[][]): string {
  return `<dl>${pairs.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** "2024-05-01 09:30 UTC" from an ISO timestamp. */
function displayTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
