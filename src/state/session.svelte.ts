import { SvelteMap } from 'svelte/reactivity';
import {
  dropTable,
  listTables,
  previewTable,
  replaceTable,
  type Preview,
  type TableSummary,
} from '../lib/catalog/tables.ts';
import { isCancelled, type SqlEngine } from '../lib/engine/types.ts';
import type { CsvDialect } from '../lib/ingest/dialect.ts';
import { IngestError, type RetryChoice } from '../lib/ingest/errors.ts';
import { fetchInput } from '../lib/ingest/fetch.ts';
import { fromBlob, type InputFile } from '../lib/ingest/input.ts';
import { loadFile, type LoadOptions, type LoadResult } from '../lib/ingest/load.ts';
import { WorkerDecoders } from '../lib/ingest/worker-decoders.ts';
import { formatCount, plural } from '../lib/format.ts';
import { findSample, type Sample } from '../lib/samples.ts';
import { DATABASE_PATH, opfsEntries, requestPersistence, wipeOpfs } from './storage.ts';

export type EngineStatus = 'starting' | 'ready' | 'failed';

/** A long operation in progress: shown with its progress and a Cancel button. */
export interface Task {
  id: number;
  title: string;
  step: string;
  /** 0…1 when known; null shows an indeterminate bar. */
  fraction: number | null;
  controller: AbortController;
}

/** A load that failed: what, where, and what to do, with one-click fixes where we have them. */
export interface Problem {
  id: number;
  file: string;
  problem: string;
  fix: string;
  retry: RetryChoice[];
  input?: InputFile;
  options: LoadOptions;
  /** The format it was read as; text files can be read again with other settings. */
  format?: string;
  dialect?: Partial<CsvDialect>;
}

export interface Notice {
  id: number;
  kind: 'info' | 'success' | 'warning';
  text: string;
}

const PREVIEW_ROWS = 100;
/** Remembers whether saved tables exist, so a returning visit does not flash the welcome page. */
const HINT_KEY = 'retain.hasTables';

function readHint(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}

function writeHint(hasTables: boolean) {
  try {
    localStorage.setItem(HINT_KEY, hasTables ? '1' : '0');
  } catch {
    // Storage may be unavailable (private mode); the hint is only cosmetic.
  }
}

/**
 * The app's data session: the engine, the loaded tables, loads in progress and
 * their outcomes. Components render it and call its methods; no SQL lives there.
 */
export class Session {
  status = $state<EngineStatus>('starting');
  engineError = $state<string | null>(null);
  /** Milliseconds from page start to the engine answering its first query. */
  readyMs = $state<number | null>(null);
  persistent = $state(false);
  storageNote = $state<string | null>(null);
  tables = $state.raw<TableSummary[]>([]);
  selected = $state<string | null>(null);
  preview = $state.raw<Preview | null>(null);
  previewOffset = $state(0);
  previewError = $state<string | null>(null);
  /** Whether this browser had saved tables last time (known before the engine starts). */
  expectTables = $state(readHint());
  engineVersion = $state<string | null>(null);
  tasks = $state<Task[]>([]);
  problems = $state<Problem[]>([]);
  notices = $state<Notice[]>([]);

  #engine: Promise<SqlEngine>;
  #nextId = 1;
  /** Inputs of this session's loads, so a text file can be read again with other settings. */
  #inputs = new SvelteMap<string, { input: InputFile; options: LoadOptions }>();
  #onFirstQuery: (() => void) | undefined;

  #onLoaded: ((tables: string[]) => boolean) | undefined;
  #onReady: (() => Promise<void>) | undefined;
  #onRestart: (() => void) | undefined;
  #recovering = false;
  /** How many times the engine was restarted after a crash in this tab. */
  restarts = $state(0);

  constructor(
    options: {
      onFirstQuery?: () => void;
      /** After a load; returns true when it selected the table to show itself. */
      onLoaded?: (tables: string[]) => boolean;
      onReady?: () => Promise<void>;
      /** After the engine was restarted following a crash (results held in it are gone). */
      onRestart?: () => void;
    } = {},
  ) {
    this.#onRestart = options.onRestart;
    this.#onFirstQuery = options.onFirstQuery;
    this.#onLoaded = options.onLoaded;
    this.#onReady = options.onReady;
    this.#engine = this.#boot();
  }

  /** The engine, once started. */
  get engine(): Promise<SqlEngine> {
    return this.#engine;
  }

  get selectedTable(): TableSummary | undefined {
    return this.tables.find((t) => t.name === this.selected);
  }

  get busy(): boolean {
    return this.tasks.length > 0;
  }

  async #boot(): Promise<SqlEngine> {
    this.status = 'starting';
    this.engineError = null;
    try {
      // DuckDB's client (and the worker and wasm it starts) load after the first screen.
      const { WasmEngine } = await import('../lib/engine/wasm.ts');
      const engine = await WasmEngine.create({
        path: DATABASE_PATH,
        onCrash: (error) => void this.#recover(error),
      });
      this.persistent = engine.info.persistent;
      this.storageNote = engine.info.storageNote ?? null;
      this.tables = await listTables(engine);
      this.#updateHint();
      this.engineVersion = engine.info.version;
      this.readyMs = Math.round(performance.now());
      // Marks for scripts/profile-startup.ts (and the browser's performance panel).
      performance.mark('retain:engine-ready');
      this.status = 'ready';
      // Hooks run once the engine promise is settled, so they may await it.
      queueMicrotask(() => void this.#onReady?.());
      if (this.tables.length > 0 && !this.selected) await this.select(this.tables[0].name, engine);
      this.#onFirstQuery?.();
      return engine;
    } catch (error) {
      this.status = 'failed';
      this.engineError = `The data engine could not start: ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    }
  }

  /**
   * The engine died (its worker crashed, ran out of memory or was killed): start a new
   * one, reopen the tables saved in this browser and say what happened. Tables live in
   * OPFS and are checkpointed after every write, so only what was running is lost.
   */
  async #recover(error: Error) {
    if (this.#recovering) return;
    this.#recovering = true;
    const before = this.tables.length;
    for (const task of this.tasks) task.controller.abort();
    this.#notice('warning', `${error.message} Restarting it and reopening your saved tables…`);
    try {
      const old = await this.#engine.catch(() => undefined);
      await old?.close().catch(() => undefined);
      this.#engine = this.#boot();
      const engine = await this.#engine;
      this.restarts++;
      this.#onRestart?.();
      const lost = engine.info.persistent ? 0 : before;
      this.#notice(
        lost ? 'warning' : 'success',
        lost
          ? `The data engine was restarted, but this tab kept its tables in memory only: ${plural(lost, 'table')} must be loaded again.`
          : `The data engine was restarted and ${plural(this.tables.length, 'table')} reopened from this browser’s storage. Run again what was running.`,
      );
    } catch (restartError) {
      this.status = 'failed';
      this.engineError = `The data engine stopped and could not be restarted (${restartError instanceof Error ? restartError.message : String(restartError)}). Reload the page; your saved tables are kept.`;
    } finally {
      this.#recovering = false;
    }
  }

  /** For fault tests: stop the engine as a crash would. */
  async killEngine() {
    const engine = await this.#engine;
    if ('kill' in engine && typeof engine.kill === 'function') engine.kill();
  }

  /** Load files picked or dropped by the user, one after the other. */
  async loadFiles(files: Iterable<File>) {
    for (const file of files)
      await this.#load(file.name, async () => fromBlob(file, file.name), {});
  }

  /** Load a file from a web address (the URL dialog or a `?data=` link). */
  async loadUrl(address: string) {
    await this.#load(address.split(/[?#]/)[0].split('/').pop() || address, (task) =>
      fetchInput(address, {
        signal: task.controller.signal,
        base: document.baseURI,
        onProgress: (received, total) => {
          task.step = total
            ? `Downloading ${Math.round((received / total) * 100)} %`
            : `Downloading ${formatCount(Math.round(received / 1024))} KB`;
          task.fraction = total ? received / total : null;
        },
      }),
    );
  }

  async loadSample(sampleOrId: Sample | string) {
    const sample = typeof sampleOrId === 'string' ? findSample(sampleOrId) : sampleOrId;
    if (!sample) {
      this.#notice('warning', `There is no sample called “${String(sampleOrId)}”.`);
      return;
    }
    // A one-off address, not state.

    await this.loadUrl(new URL(sample.file, document.baseURI).href);
  }

  /** Retry a failed load with one of the fixes it offered (or with changed reading options). */
  async retry(problem: Problem, options: LoadOptions) {
    this.dismissProblem(problem.id);
    if (!problem.input) return;
    const input = problem.input;
    await this.#load(problem.file, async () => input, { ...problem.options, ...options });
  }

  /** Read a table's file again with other options; the table is replaced only if that works. */
  async reread(table: string, options: LoadOptions) {
    const previous = this.#inputs.get(table);
    if (!previous) return;
    const engine = await this.#engine;
    await this.#load(
      previous.input.name,
      async () => previous.input,
      { ...previous.options, ...options, table },
      async (result) => {
        const fresh = result.tables[0]?.name;
        if (fresh && fresh !== table) {
          await replaceTable(engine, table, fresh);
          this.#inputs.delete(fresh);
          this.#inputs.set(table, {
            input: previous.input,
            options: { ...options, ...result.dialect, table },
          });
        }
        return table;
      },
    );
  }

  canReread(table: string): boolean {
    return this.#inputs.has(table);
  }

  readOptions(table: string): LoadOptions | undefined {
    return this.#inputs.get(table)?.options;
  }

  async #load(
    title: string,
    getInput: (task: Task) => Promise<InputFile>,
    options: LoadOptions = {},
    afterLoad?: (result: LoadResult) => Promise<string>,
  ): Promise<LoadResult | undefined> {
    performance.mark('retain:load-start');
    const task = this.#addTask(title);
    const { signal } = task.controller;
    let input: InputFile | undefined;
    const decoders = new WorkerDecoders(signal);
    try {
      input = await getInput(task);
      task.title = input.name;
      task.step = 'Waiting for the data engine';
      const engine = await this.#engine;
      task.step = 'Reading';
      task.fraction = null;
      const result = await loadFile(engine, decoders, input, options, {
        signal,
        onProgress: (fraction, step) => {
          task.fraction = fraction;
          task.step = step;
        },
      });
      for (const t of result.tables) {
        this.#inputs.set(t.name, {
          input,
          options: { ...options, ...result.dialect, table: t.name },
        });
      }
      const shown = afterLoad ? await afterLoad(result) : (result.tables[0]?.name ?? null);
      await this.refresh();
      performance.mark('retain:load-end');
      // The app may keep a mapping proposal on screen rather than show the new table.
      const loaded = afterLoad && shown ? [shown] : result.tables.map((t) => t.name);
      if (!this.#onLoaded?.(loaded)) await this.select(shown);
      const summary = result.tables
        .map(
          (t) =>
            `${afterLoad ? shown : t.name} (${plural(t.rows, 'row')}, ${plural(t.columns.length, 'column')})`,
        )
        .join(', ');
      this.#notice(
        'success',
        `${afterLoad ? 'Read' : 'Loaded'} ${input.name} ${afterLoad ? 'again into' : 'as'} ${summary}.`,
      );
      for (const warning of result.warnings) this.#notice('warning', `${input.name}: ${warning}`);
      if (this.persistent) void requestPersistence();
      return result;
    } catch (error) {
      if (isCancelled(error) || signal.aborted) {
        this.#notice('info', `Loading ${input?.name ?? title} was cancelled; nothing was changed.`);
      } else if (error instanceof IngestError) {
        this.problems.push({
          id: this.#nextId++,
          file: error.file,
          problem: error.problem,
          fix: error.fix,
          retry: input ? error.retry : [],
          input,
          options,
          format: error.format,
          dialect: { ...options, ...error.dialect } as Partial<CsvDialect>,
        });
      } else {
        this.problems.push({
          id: this.#nextId++,
          file: input?.name ?? title,
          problem: error instanceof Error ? error.message : String(error),
          fix: 'Try again. If it keeps failing, reload the page; tables already loaded are kept.',
          retry: [],
          input,
          options,
        });
      }
      return undefined;
    } finally {
      decoders.terminate();
      this.tasks = this.tasks.filter((t) => t.id !== task.id);
    }
  }

  #addTask(title: string): Task {
    this.tasks.push({
      id: this.#nextId++,
      title,
      step: 'Starting',
      fraction: null,
      controller: new AbortController(),
    });
    return this.tasks[this.tasks.length - 1];
  }

  cancel(task: Task) {
    task.step = 'Cancelling';
    task.controller.abort();
  }

  async refresh() {
    const engine = await this.#engine;
    this.tables = await listTables(engine);
    this.#updateHint();
    if (this.selected && !this.tables.some((t) => t.name === this.selected)) {
      await this.select(this.tables[0]?.name ?? null);
    }
  }

  async select(name: string | null, engine?: SqlEngine) {
    this.selected = name;
    this.previewOffset = 0;
    await this.showRows(0, engine);
  }

  async showRows(offset: number, engine?: SqlEngine) {
    this.previewError = null;
    const name = this.selected;
    if (!name) {
      this.preview = null;
      return;
    }
    try {
      const preview = await previewTable(
        engine ?? (await this.#engine),
        name,
        PREVIEW_ROWS,
        offset,
      );
      if (this.selected !== name) return;
      this.preview = preview;
      this.previewOffset = offset;
    } catch (error) {
      this.previewError = error instanceof Error ? error.message : String(error);
    }
  }

  get pageSize() {
    return PREVIEW_ROWS;
  }

  async removeTable(name: string) {
    const engine = await this.#engine;
    await dropTable(engine, name);
    this.#inputs.delete(name);
    await this.refresh();
    this.#notice('info', `Removed the table ${name}.`);
  }

  /**
   * Wipe every table from this browser: close the engine, delete its files from
   * storage, check that nothing is left, and start a fresh engine.
   */
  /** Wipe every table from the browser; returns the OPFS entries that could not be removed. */
  async clearAll(): Promise<string[]> {
    const count = this.tables.length;
    for (const task of this.tasks) task.controller.abort();
    const engine = await this.#engine.catch(() => undefined);
    await engine?.close();
    await wipeOpfs();
    const left = await opfsEntries();
    this.tables = [];
    this.preview = null;
    this.selected = null;
    this.problems = [];
    this.#inputs.clear();
    this.#updateHint();
    this.#engine = this.#boot();
    await this.#engine.catch(() => undefined);
    this.#notice(
      left.length === 0 ? 'success' : 'warning',
      left.length === 0
        ? `All data was wiped from this browser (${plural(count, 'table')}). Nothing you loaded remains stored here.`
        : `Some stored files could not be removed (${left.join(', ')}). Close other Retain tabs and try again.`,
    );
    return left;
  }

  #updateHint() {
    this.expectTables = this.tables.length > 0;
    writeHint(this.expectTables);
  }

  /** Report an error that escaped every handler, instead of failing silently. */
  reportUnexpected(error: unknown) {
    if (isCancelled(error)) return;
    const text = error instanceof Error ? error.message : String(error);
    this.#notice(
      'warning',
      `Something went wrong: ${text}. Your tables are safe; if the page misbehaves, reload it.`,
    );
  }

  dismissProblem(id: number) {
    this.problems = this.problems.filter((p) => p.id !== id);
  }

  dismissNotice(id: number) {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  #notice(kind: Notice['kind'], text: string) {
    const id = this.#nextId++;
    this.notices.push({ id, kind, text });
    if (kind !== 'warning') setTimeout(() => this.dismissNotice(id), 8000);
  }
}
