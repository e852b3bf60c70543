import DOMPurify from 'dompurify';
import { tableToIPC } from 'apache-arrow';
import { version } from '../../package.json';
import { toCsv } from '../lib/export/csv.ts';
import { createProvenance, provenanceText, type Provenance } from '../lib/export/provenance.ts';
import { renderReport, type ReportCell } from '../lib/export/report.ts';
import { safeView } from '../lib/export/safe-sql.ts';
import { loadSharing } from './sharing-settings.ts';
import { WorkerDecoders } from '../lib/ingest/worker-decoders.ts';
import { renderMarkdown } from '../lib/notebook/markdown.ts';
import { allRows, pageOf } from '../lib/notebook/run.ts';
import { downloadBlob } from './download.ts';
import type { Model } from './model.svelte.ts';
import type { NotebookState } from './notebook.svelte.ts';
import type { Session } from './session.svelte.ts';

/** Exports of notebook results and the whole notebook, each with a provenance stamp. */

export function provenanceOf(session: Session, model: Model, notebooks: NotebookState): Provenance {
  return createProvenance({
    version,
    inputs: session.tables.map((t) => ({
      file: t.source?.file ?? t.name,
      size: t.source?.size ?? 0,
      sha256: t.source?.sha256 ?? 'not computed',
      rows: t.rows,
      table: t.name,
    })),
    notebook: notebooks.current,
    mapping: model.mapping,
  });
}

const safeName = (text: string) => text.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'result';

export async function exportResult(
  session: Session,
  model: Model,
  notebooks: NotebookState,
  cellId: string,
  format: 'csv' | 'parquet',
) {
  const cell = notebooks.current?.cells.find((c) => c.id === cellId);
  const table = notebooks.runs.get(cellId)?.result?.table;
  if (!cell || cell.kind !== 'sql' || !table) return;
  const engine = await session.engine;
  // The privacy page's safe-sharing settings apply to every export of a result.
  const names = notebooks.runs.get(cellId)?.result?.columns.map((c) => c.name) ?? [];
  const safe = await safeView(engine, table, names, loadSharing());
  let all: Awaited<ReturnType<typeof allRows>>;
  try {
    all = await allRows(engine, safe.name);
  } finally {
    await safe.release();
  }
  const { columns, rows, arrow } = all;
  const stamp = provenanceOf(session, model, notebooks);
  stamp.safeSharing = safe.notes;
  const base = safeName(cell.name ?? `cell-${notebooks.current!.cells.indexOf(cell) + 1}`);
  if (format === 'csv') {
    const names = columns.map((c) => c.name);
    const csv = toCsv(
      names,
      rows.map((r) => names.map((n) => r[n] ?? null)),
      { bom: true },
    );
    downloadBlob(`${base}.csv`, new Blob([csv], { type: 'text/csv' }));
    // The stamp travels beside the CSV, which has no place for it inside.
    downloadBlob(
      `${base}.provenance.txt`,
      new Blob([provenanceText(stamp).join('\n')], { type: 'text/plain' }),
    );
  } else {
    const decoders = new WorkerDecoders();
    try {
      const bytes = await decoders.writeParquet(tableToIPC(arrow, 'stream'), JSON.stringify(stamp));
      downloadBlob(
        `${base}.parquet`,
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.apache.parquet' }),
      );
    } finally {
      decoders.terminate();
    }
  }
}

/**
 * The notebook as one standalone HTML file: markdown, SQL with its first rows,
 * charts and analyses as they are drawn on the page (SVG and sanitised HTML), and
 * the provenance. It opens offline and runs no script.
 */
export async function exportReport(
  session: Session,
  model: Model,
  notebooks: NotebookState,
  container: HTMLElement,
) {
  const notebook = notebooks.current;
  if (!notebook) return;
  const engine = await session.engine;
  const sharing = loadSharing();
  const sharingNotes: string[] = [];
  const cells: ReportCell[] = [];
  for (const cell of notebook.cells) {
    const element = container.querySelector(`[data-cell-id="${CSS.escape(cell.id)}"]`);
    if (cell.kind === 'markdown') {
      cells.push({ id: cell.id, kind: cell.kind, html: renderMarkdown(cell.text) });
    } else if (cell.kind === 'sql') {
      const run = notebooks.runs.get(cell.id);
      const result = run?.result;
      let table: ReportCell['table'];
      if (result?.table) {
        const names = result.columns.map((c) => c.name);
        const safe = await safeView(engine, result.table, names, sharing);
        let rows: Awaited<ReturnType<typeof pageOf>>;
        try {
          rows = await pageOf(engine, safe.name, { offset: 0, limit: 100 });
        } finally {
          await safe.release();
        }
        for (const note of safe.notes) if (!sharingNotes.includes(note)) sharingNotes.push(note);
        table = {
          columns: names,
          types: result.columns.map((c) => c.type),
          rows: rows.map((r) => result.columns.map((c) => r[c.name] ?? null)),
          rowCount: result.rowCount - safe.hiddenGroups,
          elapsedMs: result.elapsedMs,
        };
      }
      cells.push({
        id: cell.id,
        kind: cell.kind,
        title: cell.name,
        sql: cell.sql,
        table,
        error: run?.error?.message,
      });
    } else {
      const svg = element?.querySelector('.figure svg');
      const body = element?.querySelector('.body');
      cells.push({
        id: cell.id,
        kind: cell.kind,
        title: cell.kind === 'chart' ? cell.title : cell.analysis,
        ...(cell.kind === 'chart'
          ? {
              svg: svg
                ? DOMPurify.sanitize(svg.outerHTML, { USE_PROFILES: { svg: true } })
                : undefined,
            }
          : {
              html: body
                ? DOMPurify.sanitize(body.innerHTML, {
                    USE_PROFILES: { html: true, svg: true },
                    FORBID_TAGS: ['button', 'input', 'select', 'form'],
                  })
                : undefined,
            }),
      });
    }
  }
  const provenance = provenanceOf(session, model, notebooks);
  if (sharingNotes.length) provenance.safeSharing = sharingNotes;
  const html = renderReport({ notebook, cells, provenance });
  downloadBlob(`${safeName(notebook.title)}.html`, new Blob([html], { type: 'text/html' }));
}
