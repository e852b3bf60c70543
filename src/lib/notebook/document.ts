import { NotebookError } from './errors.ts';
import { LIMITS } from './serialise.ts';
import { cellNameProblem, freeCellName, parameterNameProblem } from './names.ts';
import { CELL_FIELDS, validateCell, validateParameter } from './validate.ts';
import {
  NOTEBOOK_VERSION,
  type AnalysisCell,
  type Cell,
  type CellKind,
  type ChartCell,
  type MarkdownCell,
  type Notebook,
  type Parameter,
  type SqlCell,
} from './types.ts';

/**
 * Creating and editing notebooks. Every operation returns a new Notebook and
 * leaves its input untouched, so old versions can be kept for undo; every edit
 * sets `updatedAt`. Problems a person can fix (a name in use, a reserved name)
 * throw a {@link NotebookError} with a sentence to show.
 *
 * Parameter names follow the identifier rule (letters, digits, underscores,
 * starting with a letter) and are unique ignoring case; a value must suit the
 * parameter's type. Renaming a parameter does not rewrite `$name` references.
 */

/** The cell type for a kind, e.g. `CellOf<'sql'>` is `SqlCell`. */
export type CellOf<K extends CellKind> = Extract<Cell, { kind: K }>;

/** The fields a new cell of kind K may be given; the rest take defaults. */
export type CellFields<K extends CellKind> = Partial<Omit<CellOf<K>, 'id' | 'kind'>>;

type Editable<C extends Cell> = Omit<C, 'id' | 'kind'>;

/**
 * A change to a cell: any field of any kind. Fields the cell's kind does not have
 * are refused at run time, `kind` and `id` must stay the same, and a field set to
 * `undefined` is removed.
 */
export type CellPatch = Partial<
  Editable<MarkdownCell> & Editable<SqlCell> & Editable<ChartCell> & Editable<AnalysisCell>
> & { kind?: CellKind; id?: string };

const DEFAULTS: { [K in CellKind]: Omit<CellOf<K>, 'id'> } = {
  markdown: { kind: 'markdown', text: '' },
  sql: { kind: 'sql', sql: '' },
  chart: { kind: 'chart', source: '', mark: 'bar' },
  analysis: { kind: 'analysis', analysis: '', params: {} },
};

/** A new, unique id for a notebook or a cell. */
export function newId(): string {
  return crypto.randomUUID();
}

/** A new, empty notebook. */
export function createNotebook(title: string, now: Date = new Date()): Notebook {
  const at = now.toISOString();
  return {
    version: NOTEBOOK_VERSION,
    id: newId(),
    title,
    cells: [],
    parameters: [],
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * A new cell of `kind` with a fresh id, defaults for missing fields (empty text
 * or SQL, a bar chart, no analysis parameters). Field types and the SQL `name`
 * rule are checked; whether the name is free is checked by {@link addCell}.
 */
export function createCell<K extends CellKind>(kind: K, fields: CellFields<K> = {}): CellOf<K> {
  if (!Object.hasOwn(DEFAULTS, kind)) throw new NotebookError(`There is no ${kind} cell.`);
  const raw = { ...DEFAULTS[kind], ...fields, id: newId(), kind };
  return validateCell(raw, `the new ${kind} cell`) as CellOf<K>;
}

/** `nb` with `changes` applied and `updatedAt` set to now. */
export function touch(nb: Notebook, changes: Partial<Notebook>): Notebook {
  return { ...nb, ...changes, updatedAt: new Date().toISOString() };
}

/** The position of cell `id`; throws when there is none. */
export function cellIndex(nb: Notebook, id: string): number {
  const index = nb.cells.findIndex((c) => c.id === id);
  if (index === -1) throw new NotebookError(`This notebook has no cell with id ${id}.`);
  return index;
}

/** `nb` with `cell` inserted at `index` (clamped; the end by default). */
export function addCell(nb: Notebook, cell: Cell, index = nb.cells.length): Notebook {
  const copy = validateCell(cell, 'the new cell');
  if (nb.cells.some((c) => c.id === copy.id)) {
    throw new NotebookError(`This notebook already has a cell with id ${copy.id}.`);
  }
  if (copy.kind === 'sql' && copy.name !== undefined) {
    const problem = cellNameProblem(copy.name, nb.cells);
    if (problem) throw new NotebookError(problem);
  }
  const at = Math.max(0, Math.min(nb.cells.length, Math.trunc(index)));
  return touch(nb, { cells: nb.cells.toSpliced(at, 0, copy) });
}

/** `nb` without cell `id`. */
export function deleteCell(nb: Notebook, id: string): Notebook {
  return touch(nb, { cells: nb.cells.toSpliced(cellIndex(nb, id), 1) });
}

/**
 * `nb` with a copy of cell `id` placed just after it. The copy gets a new id;
 * a named SQL result gets a free name (`monthly` → `monthly_2`).
 */
export function duplicateCell(nb: Notebook, id: string): Notebook {
  const index = cellIndex(nb, id);
  const copy = validateCell({ ...nb.cells[index], id: newId() }, 'the copy');
  if (copy.kind === 'sql' && copy.name !== undefined) copy.name = freeCellName(copy.name, nb.cells);
  return touch(nb, { cells: nb.cells.toSpliced(index + 1, 0, copy) });
}

/**
 * `nb` with cell `id` moved `delta` places (negative is up), stopping at either
 * end. When the cell cannot move, `nb` itself is returned, so callers can skip
 * recording an edit that changed nothing.
 */
export function moveCell(nb: Notebook, id: string, delta: number): Notebook {
  const from = cellIndex(nb, id);
  const to = Math.max(0, Math.min(nb.cells.length - 1, from + Math.trunc(delta)));
  if (to === from) return nb;
  const cells = nb.cells.toSpliced(from, 1).toSpliced(to, 0, nb.cells[from]);
  return touch(nb, { cells });
}

/** `nb` with cell `id` collapsed (showing only its header) or expanded. */
export function setCollapsed(nb: Notebook, id: string, collapsed: boolean): Notebook {
  const index = cellIndex(nb, id);
  const { collapsed: _was, ...rest } = nb.cells[index];
  const cell = (collapsed ? { ...rest, collapsed: true } : rest) as Cell;
  return touch(nb, { cells: nb.cells.with(index, cell) });
}

/**
 * `nb` with fields of cell `id` changed. The kind cannot change, fields of
 * other kinds are refused, and a new SQL `name` must be valid and free.
 */
export function updateCell(nb: Notebook, id: string, patch: CellPatch): Notebook {
  const index = cellIndex(nb, id);
  const cell = nb.cells[index];
  for (const key of Object.keys(patch)) {
    if (key === 'kind') {
      if (patch.kind !== cell.kind) {
        throw new NotebookError(`A ${cell.kind} cell cannot become a ${patch.kind} cell.`);
      }
    } else if (key === 'id') {
      if (patch.id !== cell.id) throw new NotebookError('A cell keeps its id.');
    } else if (key !== 'collapsed' && !CELL_FIELDS[cell.kind].includes(key)) {
      throw new NotebookError(`A ${cell.kind} cell has no "${key}".`);
    }
  }
  const merged: Record<string, unknown> = { ...cell, ...patch, id, kind: cell.kind };
  const next = validateCell(merged, 'the cell');
  if (next.kind === 'sql' && next.name !== undefined) {
    const problem = cellNameProblem(next.name, nb.cells, id);
    if (problem) throw new NotebookError(problem);
  }
  return touch(nb, { cells: nb.cells.with(index, next) });
}

/** `nb` with a new title. */
export function setTitle(nb: Notebook, title: string): Notebook {
  if (typeof title !== 'string') throw new NotebookError('A title must be text.');
  return touch(nb, { title });
}

function parameterIndex(nb: Notebook, name: string): number {
  const index = nb.parameters.findIndex((p) => p.name === name);
  if (index === -1) throw new NotebookError(`There is no parameter named ${name}.`);
  return index;
}

function checked(raw: unknown, parameters: readonly Parameter[], self?: string): Parameter {
  const parameter = validateParameter(raw, 'the parameter');
  const problem = parameterNameProblem(parameter.name, parameters, self);
  if (problem) throw new NotebookError(problem);
  return parameter;
}

/** `nb` with `parameter` added at `index` (clamped; the end by default). */
export function addParameter(
  nb: Notebook,
  parameter: Parameter,
  index = nb.parameters.length,
): Notebook {
  if (nb.parameters.length >= LIMITS.parameters) {
    throw new NotebookError(`A notebook can have at most ${LIMITS.parameters} parameters.`);
  }
  const copy = checked(parameter, nb.parameters);
  const at = Math.max(0, Math.min(nb.parameters.length, Math.trunc(index)));
  return touch(nb, { parameters: nb.parameters.toSpliced(at, 0, copy) });
}

/**
 * `nb` with fields of parameter `name` changed (including its name). A field set
 * to `undefined` is removed, so `{ label: undefined }` clears the label.
 */
export function updateParameter(nb: Notebook, name: string, patch: Partial<Parameter>): Notebook {
  const index = parameterIndex(nb, name);
  const next = checked({ ...nb.parameters[index], ...patch }, nb.parameters, name);
  return touch(nb, { parameters: nb.parameters.with(index, next) });
}

/** `nb` without parameter `name`. */
export function removeParameter(nb: Notebook, name: string): Notebook {
  return touch(nb, { parameters: nb.parameters.toSpliced(parameterIndex(nb, name), 1) });
}
