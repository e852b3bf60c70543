import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
} from '../../../src/lib/notebook/document.ts';
import { NotebookError } from '../../../src/lib/notebook/errors.ts';
import { cellNameProblem, freeCellName } from '../../../src/lib/notebook/names.ts';
import type { Notebook } from '../../../src/lib/notebook/types.ts';
import { sampleNotebook } from './sample.ts';

const LATER = new Date('2024-06-01T12:00:00.000Z');
const ids = (nb: Notebook) => nb.cells.map((c) => c.id);

/** Apply `edit` and check it left its input exactly as it was. */
function unchanged(edit: (nb: Notebook) => Notebook): Notebook {
  const nb = sampleNotebook();
  const before = structuredClone(nb);
  const after = edit(nb);
  expect(nb).toEqual(before);
  expect(after).not.toBe(nb);
  expect(after.updatedAt).toBe(LATER.toISOString());
  return after;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(LATER);
});
afterEach(() => vi.useRealTimers());

describe('creating', () => {
  it('creates an empty notebook with both times set to now', () => {
    const nb = createNotebook('Churn', new Date('2024-01-02T03:04:05.000Z'));
    expect(nb).toMatchObject({ version: 1, title: 'Churn', cells: [], parameters: [] });
    expect(nb.createdAt).toBe('2024-01-02T03:04:05.000Z');
    expect(nb.updatedAt).toBe(nb.createdAt);
    expect(nb.id).not.toBe(createNotebook('Churn').id);
  });

  it('creates cells with unique ids and defaults', () => {
    const a = createCell('sql', { sql: 'SELECT 1', name: 'one' });
    const b = createCell('sql');
    expect(a).toEqual({ id: a.id, kind: 'sql', sql: 'SELECT 1', name: 'one' });
    expect(b.id).not.toBe(a.id);
    expect(createCell('chart')).toMatchObject({ kind: 'chart', source: '', mark: 'bar' });
    expect(createCell('markdown')).toMatchObject({ text: '' });
    expect(createCell('analysis')).toMatchObject({ analysis: '', params: {} });
  });

  it('refuses a bad kind, a bad name or a wrong field type', () => {
    expect(() => createCell('python' as 'sql')).toThrow(NotebookError);
    expect(() => createCell('sql', { name: '2024_orders' })).toThrow(/not allowed/);
    expect(() => createCell('sql', { name: 'Orders' })).toThrow(/reserved/);
    expect(() => createCell('sql', { name: '_retain_x' })).toThrow(NotebookError);
    expect(() => createCell('sql', { sql: 42 as unknown as string })).toThrow(/"sql" must be text/);
  });
});

describe('cell edits', () => {
  it('adds at an index, clamped, and at the end by default', () => {
    const cell = createCell('markdown', { text: 'hi' });
    expect(ids(unchanged((nb) => addCell(nb, cell)))).toEqual([...ids(sampleNotebook()), cell.id]);
    expect(ids(unchanged((nb) => addCell(nb, cell, 1)))[1]).toBe(cell.id);
    expect(ids(unchanged((nb) => addCell(nb, cell, -5)))[0]).toBe(cell.id);
    expect(ids(unchanged((nb) => addCell(nb, cell, 99))).at(-1)).toBe(cell.id);
  });

  it('refuses a repeated id or a name already in use (ignoring case)', () => {
    const nb = sampleNotebook();
    expect(() => addCell(nb, { id: 'md', kind: 'markdown', text: '' })).toThrow(
      /already has a cell/,
    );
    expect(() => addCell(nb, createCell('sql', { name: 'Repeaters' }))).toThrow(/already named/);
  });

  it('deletes', () => {
    expect(ids(unchanged((nb) => deleteCell(nb, 'chart')))).toEqual([
      'md',
      'first',
      'repeat',
      'kpis',
    ]);
    expect(() => deleteCell(sampleNotebook(), 'nope')).toThrow(/no cell with id nope/);
  });

  it('duplicates after the original, with a new id and a free name', () => {
    const once = unchanged((nb) => duplicateCell(nb, 'first'));
    const copy = once.cells[2];
    expect(copy).toMatchObject({
      kind: 'sql',
      name: 'first_orders_2',
      sql: once.cells[1].kind === 'sql' && once.cells[1].sql,
    });
    expect(copy.id).not.toBe('first');
    const twice = duplicateCell(once, 'first');
    expect(twice.cells[2]).toMatchObject({ name: 'first_orders_3' });
    // A copy of the copy counts on from the original name.
    const ofCopy = duplicateCell(once, copy.id);
    expect(ofCopy.cells[3]).toMatchObject({ name: 'first_orders_3' });
    // A copy does not share nested objects with its original.
    const analysis = duplicateCell(sampleNotebook(), 'kpis');
    expect(analysis.cells[5]).toEqual({ ...analysis.cells[4], id: analysis.cells[5].id });
    expect(analysis.cells[5].kind === 'analysis' && analysis.cells[5].params).not.toBe(
      analysis.cells[4].kind === 'analysis' && analysis.cells[4].params,
    );
  });

  it('names copies without clashing with names taken in any case', () => {
    const cells = [
      createCell('sql', { name: 'cohort_12' }),
      createCell('sql', { name: 'COHORT_12_2' }),
    ];
    expect(freeCellName('cohort_12', cells)).toBe('cohort_12_3');
  });

  it('moves by a delta, clamped at either end', () => {
    expect(ids(unchanged((nb) => moveCell(nb, 'md', 2)))).toEqual([
      'first',
      'repeat',
      'md',
      'chart',
      'kpis',
    ]);
    expect(ids(unchanged((nb) => moveCell(nb, 'chart', -100)))).toEqual([
      'chart',
      'md',
      'first',
      'repeat',
      'kpis',
    ]);
    expect(ids(unchanged((nb) => moveCell(nb, 'first', 100))).at(-1)).toBe('first');
    const nb = sampleNotebook();
    expect(moveCell(nb, 'md', -1)).toBe(nb);
    expect(moveCell(nb, 'kpis', 3)).toBe(nb);
  });

  it('collapses and expands', () => {
    expect(unchanged((nb) => setCollapsed(nb, 'md', true)).cells[0]).toEqual({
      id: 'md',
      kind: 'markdown',
      text: '# Repeat purchase',
      collapsed: true,
    });
    expect(unchanged((nb) => setCollapsed(nb, 'chart', false)).cells[3]).not.toHaveProperty(
      'collapsed',
    );
  });

  it('updates fields, removing those set to undefined', () => {
    const nb = unchanged((n) => updateCell(n, 'repeat', { sql: 'SELECT 2', name: undefined }));
    expect(nb.cells[2]).toEqual({ id: 'repeat', kind: 'sql', sql: 'SELECT 2' });
    const renamed = updateCell(sampleNotebook(), 'repeat', { name: 'Repeaters' });
    expect(renamed.cells[2]).toMatchObject({ name: 'Repeaters' });
  });

  it('refuses to change the kind, the id, or to set fields of another kind', () => {
    const nb = sampleNotebook();
    expect(() => updateCell(nb, 'md', { kind: 'sql' })).toThrow(/cannot become a sql cell/);
    expect(() => updateCell(nb, 'md', { id: 'other' })).toThrow(/keeps its id/);
    expect(() => updateCell(nb, 'md', { sql: 'SELECT 1' })).toThrow(/has no "sql"/);
    expect(() => updateCell(nb, 'chart', { mark: 'pie' as 'bar' })).toThrow(
      /"mark" must be one of/,
    );
    expect(() => updateCell(nb, 'repeat', { name: 'first_orders' })).toThrow(/already named/);
    expect(() => updateCell(nb, 'repeat', { name: 'customers' })).toThrow(/reserved/);
    expect(updateCell(nb, 'md', { kind: 'markdown', text: 'x' }).cells[0]).toMatchObject({
      text: 'x',
    });
  });

  it('sets the title', () => {
    expect(unchanged((nb) => setTitle(nb, 'New')).title).toBe('New');
  });
});

describe('cell names', () => {
  it('follows the identifier rule, is unique, and avoids reserved names', () => {
    const cells = sampleNotebook().cells;
    expect(cellNameProblem('monthly_2', cells)).toBeNull();
    expect(cellNameProblem('repeaters', cells, 'repeat')).toBeNull();
    for (const bad of ['', '1a', '_a', 'a-b', 'a b', 'é', 'a"b']) {
      expect(cellNameProblem(bad, cells)).toMatch(/not allowed/);
    }
    for (const reserved of [
      'orders',
      'orders_all',
      'CUSTOMERS',
      'subscriptions',
      'events',
      'feedback',
      'programme',
    ]) {
      expect(cellNameProblem(reserved, cells)).toMatch(/reserved/);
    }
    expect(cellNameProblem('repeaters', cells)).toMatch(/already named/);
  });
});

describe('parameter edits', () => {
  it('adds, updates (including renaming) and removes', () => {
    const added = unchanged((nb) => addParameter(nb, { name: 'top_n', type: 'number', value: 5 }));
    expect(added.parameters.at(-1)).toEqual({ name: 'top_n', type: 'number', value: 5 });
    const first = unchanged((nb) =>
      addParameter(nb, { name: 'end', type: 'date', value: null }, 0),
    );
    expect(first.parameters[0].name).toBe('end');
    const updated = unchanged((nb) =>
      updateParameter(nb, 'start', { value: '2024-02-29', label: undefined }),
    );
    expect(updated.parameters[0]).toEqual({ name: 'start', type: 'date', value: '2024-02-29' });
    const renamed = unchanged((nb) => updateParameter(nb, 'start', { name: 'since' }));
    expect(renamed.parameters.map((p) => p.name)).toEqual(['since', 'min_amount', 'region']);
    const removed = unchanged((nb) => removeParameter(nb, 'region'));
    expect(removed.parameters.map((p) => p.name)).toEqual(['start', 'min_amount']);
  });

  it('refuses bad or repeated names and values of the wrong type', () => {
    const nb = sampleNotebook();
    const add = (name: string) => () => addParameter(nb, { name, type: 'text', value: null });
    for (const bad of ['', '9lives', '_x', 'a-b', 'a.b', '$x'])
      expect(add(bad)).toThrow(/not allowed/);
    expect(add('START')).toThrow(/already a parameter named "start"/);
    expect(() => updateParameter(nb, 'region', { name: 'min_amount' })).toThrow(NotebookError);
    expect(() => updateParameter(nb, 'start', { value: '2024-02-30' })).toThrow(/not a valid date/);
    expect(() => updateParameter(nb, 'min_amount', { value: 'ten' })).toThrow(/not a valid number/);
    expect(() => updateParameter(nb, 'min_amount', { value: Infinity })).toThrow(NotebookError);
    expect(() => updateParameter(nb, 'nope', { value: 1 })).toThrow(/no parameter named nope/);
    expect(() => removeParameter(nb, 'nope')).toThrow(NotebookError);
  });
});
