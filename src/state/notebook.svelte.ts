import { loadAddress } from './data-link.ts';
import { SvelteMap } from 'svelte/reactivity';
import { isCancelled } from '../lib/engine/types.ts';
import {
  addCell,
  addParameter,
  createCell,
  createNotebook,
  deleteCell,
  duplicateCell,
  moveCell,
  removeParameter,
  setCollapsed,
  setTitle,
  updateCell,
  updateParameter,
} from '../lib/notebook/document.ts';
import { dependentsOf } from '../lib/notebook/graph.ts';
import { History } from '../lib/notebook/history.ts';
import { decodeShareLink, encodeShareLink } from '../lib/notebook/link.ts';
import { bindParameters } from '../lib/notebook/parameters.ts';
import {
  allRows,
  locateError,
  pageOf,
  runSql,
  type SqlResult,
  type SqlRunError,
} from '../lib/notebook/run.ts';
import { parseNotebook, serialiseNotebook } from '../lib/notebook/serialise.ts';
import type { Cell, CellKind, Notebook, Parameter } from '../lib/notebook/types.ts';
import { deleteNotebook, listNotebooks, saveNotebook } from './notebook-store.ts';
import type { Model } from './model.svelte.ts';
import type { Session } from './session.svelte.ts';
import { defaultNotebook } from '../lib/notebook/default.ts';

export interface CellRun {
  status: 'running' | 'done' | 'error' | 'cancelled';
  result?: SqlResult;
  error?: SqlRunError;
  controller?: AbortController;
  /** Bumped on every completed run, so charts over this cell redraw. */
  version: number;
}

/**
 * The notebooks: the open document with undo/redo, autosaved to IndexedDB, and
 * the runs of its cells. SQL runs on the session's engine; parameters are bound;
 * a change re-runs what depends on it, in order, and a newer run cancels an older one.
 */
export class NotebookState {
  notebooks = $state.raw<Notebook[]>([]);
  current = $state.raw<Notebook | null>(null);
  runs = new SvelteMap<string, CellRun>();
  canUndo = $state(false);
  canRedo = $state(false);
  saveError = $state<string | null>(null);
  message = $state<string | null>(null);
  #history: History<Notebook> | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #chain: AbortController | undefined;

  constructor(
    private session: Session,
    private model: Model,
  ) {}

  /** Load saved notebooks; open the one named by a share link, or the most recent. */
  async restore(hash = location.hash) {
    try {
      this.notebooks = await listNotebooks();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.saveError = `Saved notebooks could not be read: ${why}. Reload the page; if this stays, the browser may block storage for this site (a private window or site settings).`;
    }
    if (hash.startsWith('#nb=')) await this.openLink(hash);
    if (!this.current && this.notebooks.length) this.open(this.notebooks[0].id);
  }

  /** Open a shared notebook from a link's fragment, as a new notebook of this browser. */
  async openLink(hash: string) {
    try {
      const shared = await decodeShareLink(hash);
      const copy = { ...shared, id: crypto.randomUUID(), updatedAt: new Date().toISOString() };
      await this.#adopt(copy);
      this.message = `Opened “${copy.title}” from a link. ${copy.dataUrl ? 'Its data is loading.' : 'Load your data to run it.'}`;
      if (copy.dataUrl) {
        const dataUrl = copy.dataUrl;
        void loadAddress(
          dataUrl,
          (a) => this.session.loadUrl(a),
          () => this.flush(),
          '#notebook',
        );
      }
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
    } finally {
      history.replaceState(null, '', `${location.pathname}${location.search}#notebook`);
    }
  }

  /** Create the "Retention overview" (or, for customers only, "Customer overview") notebook the first time data is mapped. */
  async ensureDefault() {
    const kinds = this.model.mappedKinds;
    if (this.notebooks.length > 0 || !(kinds.includes('orders') || kinds.includes('customers')))
      return;
    await this.#adopt(defaultNotebook(this.model.mapping));
  }

  async #adopt(notebook: Notebook) {
    await saveNotebook(notebook).catch((e) => (this.saveError = String(e)));
    this.notebooks = [notebook, ...this.notebooks.filter((n) => n.id !== notebook.id)];
    this.open(notebook.id);
  }

  open(id: string) {
    const notebook = this.notebooks.find((n) => n.id === id);
    if (!notebook) return;
    this.#cancelAll();
    this.runs.clear();
    this.current = notebook;
    this.#history = new History<Notebook>(notebook);
    this.#syncHistory();
  }

  async create(title = 'Untitled notebook') {
    const notebook = addCell(
      createNotebook(title),
      createCell('sql', { sql: 'SELECT * FROM orders LIMIT 100' }),
    );
    await this.#adopt(notebook);
  }

  /** Delete a notebook; returns it as it was, so an Undo can put it back (undelete). */
  async remove(id: string): Promise<Notebook | undefined> {
    const removed =
      this.current?.id === id ? this.current : this.notebooks.find((n) => n.id === id);
    // A pending autosave of this notebook would otherwise write it back after the delete.
    if (this.current?.id === id) clearTimeout(this.#saveTimer);
    await deleteNotebook(id);
    this.notebooks = this.notebooks.filter((n) => n.id !== id);
    if (this.current?.id === id) {
      this.current = null;
      if (this.notebooks.length) this.open(this.notebooks[0].id);
    }
    return removed;
  }

  /** Undo a delete: store the notebook again, cells and all, and open it. Throws if it cannot be saved. */
  async undelete(notebook: Notebook) {
    await saveNotebook(notebook);
    this.notebooks = [notebook, ...this.notebooks.filter((n) => n.id !== notebook.id)];
    this.open(notebook.id);
  }

  /** Apply an edit: record it for undo and save it shortly after. */
  edit(change: (notebook: Notebook) => Notebook) {
    if (!this.current) return;
    let next: Notebook;
    try {
      next = change(this.current);
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
      return;
    }
    this.message = null;
    this.current = next;
    this.#history?.push(next);
    this.#syncHistory();
    this.#scheduleSave();
  }

  undo() {
    const previous = this.#history?.undo();
    if (previous) this.#replace(previous);
  }

  redo() {
    const next = this.#history?.redo();
    if (next) this.#replace(next);
  }

  #replace(notebook: Notebook) {
    this.current = notebook;
    this.#syncHistory();
    this.#scheduleSave();
  }

  #syncHistory() {
    this.canUndo = this.#history?.canUndo ?? false;
    this.canRedo = this.#history?.canRedo ?? false;
  }

  #scheduleSave() {
    clearTimeout(this.#saveTimer);
    const notebook = this.current;
    if (!notebook) return;
    this.notebooks = [notebook, ...this.notebooks.filter((n) => n.id !== notebook.id)];
    this.#saveTimer = setTimeout(() => {
      saveNotebook(notebook).then(
        () => (this.saveError = null),
        (error) => (this.saveError = error instanceof Error ? error.message : String(error)),
      );
    }, 300);
  }

  /** Save now (before a reload, in tests). */
  async flush() {
    clearTimeout(this.#saveTimer);
    if (this.current) await saveNotebook(this.current);
  }

  // Cell and parameter edits, each undoable.
  add(kind: CellKind, index?: number, fields: Partial<Cell> = {}) {
    const cell = createCell(kind, fields);
    this.edit((nb) => addCell(nb, cell, index));
    return cell.id;
  }
  /** "Show SQL": the statement an analysis ran, as an editable SQL cell right below it. */
  addSqlAfter(id: string, sql: string, name: string) {
    const index = (this.current?.cells.findIndex((c) => c.id === id) ?? -1) + 1;
    const taken = new Set(
      this.current?.cells.flatMap((c) =>
        c.kind === 'sql' && c.name ? [c.name.toLowerCase()] : [],
      ),
    );
    let free = name;
    for (let k = 2; taken.has(free.toLowerCase()); k++) free = `${name}_${k}`;
    const newId = this.add('sql', index, { sql, name: free });
    void this.run(newId);
  }

  /**
   * Delete a cell; returns the function that puts it back where it was (for a toast's
   * Undo), which works even after later edits, unlike the history's last-step undo.
   */
  removeCell(id: string): () => void {
    const notebookId = this.current?.id;
    const index = this.current?.cells.findIndex((c) => c.id === id) ?? -1;
    const cell = this.current?.cells[index];
    this.runs.get(id)?.controller?.abort();
    this.edit((nb) => deleteCell(nb, id));
    return () => {
      if (!cell) return;
      if (this.current?.id !== notebookId) {
        throw new Error('The cell’s notebook is no longer open: open it and press Ctrl+Z.');
      }
      // Already back (Ctrl+Z came first): nothing to do.
      if (this.current?.cells.some((c) => c.id === cell.id)) return;
      this.edit((nb) => addCell(nb, cell, index));
    };
  }
  duplicate(id: string) {
    this.edit((nb) => duplicateCell(nb, id));
  }
  move(id: string, delta: number) {
    this.edit((nb) => moveCell(nb, id, delta));
  }
  collapse(id: string, collapsed: boolean) {
    this.edit((nb) => setCollapsed(nb, id, collapsed));
  }
  update(id: string, patch: Partial<Cell>) {
    this.edit((nb) => updateCell(nb, id, patch));
  }
  rename(title: string) {
    this.edit((nb) => setTitle(nb, title));
  }
  addParameter(parameter: Parameter) {
    this.edit((nb) => addParameter(nb, parameter));
  }
  removeParameter(name: string) {
    this.edit((nb) => removeParameter(nb, name));
  }

  /** Change a parameter's value and re-run every cell that depends on it. */
  async setParameter(name: string, patch: Partial<Parameter>) {
    this.edit((nb) => updateParameter(nb, name, patch));
    if (!this.current || patch.value === undefined) return;
    await this.runChain(dependentsOf(this.current, { parameters: [name] }));
  }

  /** Run cells one after the other; a newer chain cancels this one. */
  async runChain(ids: string[]) {
    this.#chain?.abort();
    const chain = new AbortController();
    this.#chain = chain;
    for (const id of ids) {
      if (chain.signal.aborted) return;
      await this.run(id, chain.signal);
    }
  }

  /** Run a cell and then the cells that depend on its result. */
  async runWithDependents(id: string) {
    if (!this.current) return;
    await this.runChain([
      id,
      ...dependentsOf(this.current, { cells: [id] }).filter((c) => c !== id),
    ]);
  }

  async runAll() {
    if (!this.current) return;
    await this.runChain(this.current.cells.filter((c) => c.kind === 'sql').map((c) => c.id));
  }

  /** Run one SQL cell (other kinds render from their inputs and need no run). */
  async run(id: string, outer?: AbortSignal) {
    const cell = this.current?.cells.find((c) => c.id === id);
    if (!cell || cell.kind !== 'sql' || !this.current) return;
    this.runs.get(id)?.controller?.abort();
    const controller = new AbortController();
    outer?.addEventListener('abort', () => controller.abort(), { once: true });
    const version = (this.runs.get(id)?.version ?? 0) + 1;
    this.runs.set(id, { status: 'running', controller, version: version - 1 });
    try {
      const bound = bindParameters(cell.sql, this.current.parameters);
      const engine = await this.session.engine;
      const result = await runSql(engine, cell, bound, { signal: controller.signal });
      if (this.runs.get(id)?.controller !== controller) return;
      this.runs.set(id, { status: 'done', result, version });
      if (!result.table) await this.session.refresh();
    } catch (error) {
      if (this.runs.get(id)?.controller !== controller) return;
      if (isCancelled(error) || controller.signal.aborted) {
        this.runs.set(id, { status: 'cancelled', version });
      } else {
        const text = error instanceof Error ? error.message : String(error);
        this.runs.set(id, { status: 'error', error: locateError(text, cell.sql), version });
      }
    }
  }

  cancel(id: string) {
    this.runs.get(id)?.controller?.abort();
  }

  /** The engine was restarted after a crash: results held in it are gone, so each cell says so. */
  engineRestarted() {
    this.#chain?.abort();
    for (const [id, run] of this.runs) {
      if (run.status !== 'done' && run.status !== 'running') continue;
      this.runs.set(id, {
        status: 'error',
        error: {
          message:
            run.status === 'running'
              ? 'The data engine stopped while this cell ran. It has been restarted: run the cell again.'
              : 'The data engine was restarted, so this result is gone: run the cell again.',
        },
        version: run.version + 1,
      });
    }
  }

  /** Forget every notebook held in memory (after their storage was wiped). */
  forgetAll() {
    clearTimeout(this.#saveTimer);
    this.#cancelAll();
    this.runs.clear();
    this.notebooks = [];
    this.current = null;
    this.#history = undefined;
    this.#syncHistory();
  }

  #cancelAll() {
    this.#chain?.abort();
    for (const run of this.runs.values()) run.controller?.abort();
  }

  /** Fetch a window of a cell's result, sorted by DuckDB. */
  async page(
    table: string,
    offset: number,
    limit: number,
    sort?: { column: string; descending: boolean },
  ) {
    return pageOf(await this.session.engine, table, { offset, limit, sort });
  }

  /** Rows of a result for a chart (charts beyond 100,000 points are not readable anyway). */
  async chartRows(table: string) {
    return (await allRows(await this.session.engine, table, 100_000)).rows;
  }

  /** The result of the SQL cell with this name, if it has run. */
  resultNamed(name: string): { cellId: string; run: CellRun } | undefined {
    const cell = this.current?.cells.find((c) => c.kind === 'sql' && c.name === name);
    const run = cell && this.runs.get(cell.id);
    return cell && run ? { cellId: cell.id, run } : undefined;
  }

  async shareLink(includeMapping: boolean): Promise<string> {
    if (!this.current) throw new Error('Open a notebook first.');
    const notebook =
      includeMapping && this.model.mapping
        ? { ...this.current, mapping: this.model.mapping }
        : this.current;
    const hash = await encodeShareLink(notebook, { includeMapping });
    return `${location.origin}${location.pathname}${hash}`;
  }

  exportFile(includeMapping: boolean): string {
    if (!this.current) throw new Error('Open a notebook first.');
    const notebook =
      includeMapping && this.model.mapping
        ? { ...this.current, mapping: this.model.mapping }
        : this.current;
    return serialiseNotebook(notebook, { includeMapping });
  }

  async importFile(text: string) {
    const notebook = parseNotebook(text);
    await this.#adopt({
      ...notebook,
      id: crypto.randomUUID(),
      updatedAt: new Date().toISOString(),
    });
    this.message = `Imported “${notebook.title}”.`;
  }
}
