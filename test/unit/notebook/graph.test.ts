import { describe, expect, it } from 'vitest';
import {
  analysisParameterRefs,
  cellDependencies,
  checkOrder,
  dependentsOf,
} from '../../../src/lib/notebook/graph.ts';
import type { Cell, Notebook } from '../../../src/lib/notebook/types.ts';
import { sampleNotebook } from './sample.ts';

function withCells(...cells: Cell[]): Notebook {
  return { ...sampleNotebook(), cells };
}

describe('cellDependencies', () => {
  it('reads parameters, named results, chart sources and analysis $param values', () => {
    const deps = cellDependencies(sampleNotebook());
    expect(deps.get('md')).toEqual({ parameters: [], cells: [] });
    expect(deps.get('first')).toEqual({ parameters: ['start'], cells: [] });
    expect(deps.get('repeat')).toEqual({ parameters: ['min_amount'], cells: ['first'] });
    expect(deps.get('chart')).toEqual({ parameters: [], cells: ['repeat'] });
    expect(deps.get('kpis')).toEqual({ parameters: ['start'], cells: [] });
  });

  it('matches names as whole words in any case, also when quoted, but not in strings or comments', () => {
    const nb = withCells(
      { id: 'a', kind: 'sql', name: 'monthly', sql: 'SELECT 1' },
      { id: 'b', kind: 'sql', name: 'weekly', sql: 'SELECT 2' },
      { id: 'c', kind: 'sql', sql: "SELECT 'monthly', monthly_total FROM t -- weekly" },
      { id: 'd', kind: 'sql', sql: 'SELECT * FROM MONTHLY' },
      { id: 'e', kind: 'sql', sql: 'SELECT * FROM "Weekly"' },
      { id: 'f', kind: 'sql', sql: 'SELECT $monthly FROM t' },
    );
    const deps = cellDependencies(nb);
    expect(deps.get('c')!.cells).toEqual([]);
    expect(deps.get('d')!.cells).toEqual(['a']);
    expect(deps.get('e')!.cells).toEqual(['b']);
    expect(deps.get('f')!.cells).toEqual([]);
  });

  it('finds $param values at any depth', () => {
    expect(
      analysisParameterRefs({ a: [{ $param: 'x' }, { b: { $param: 'y' } }], c: '$param' }),
    ).toEqual(['x', 'y']);
  });
});

describe('dependentsOf', () => {
  it('follows parameters transitively, in notebook order', () => {
    expect(dependentsOf(sampleNotebook(), { parameters: ['start'] })).toEqual([
      'first',
      'repeat',
      'chart',
      'kpis',
    ]);
    expect(dependentsOf(sampleNotebook(), { parameters: ['min_amount'] })).toEqual([
      'repeat',
      'chart',
    ]);
    expect(dependentsOf(sampleNotebook(), { parameters: ['region'] })).toEqual([]);
  });

  it('follows a changed cell to the chart drawing its result', () => {
    expect(dependentsOf(sampleNotebook(), { cells: ['first'] })).toEqual(['repeat', 'chart']);
    expect(dependentsOf(sampleNotebook(), { cells: ['repeat'] })).toEqual(['chart']);
  });

  it('follows a chain through several named results', () => {
    const nb = withCells(
      { id: 'a', kind: 'sql', name: 'base', sql: 'SELECT 1 AS x' },
      { id: 'unrelated', kind: 'sql', sql: 'SELECT 2' },
      { id: 'b', kind: 'sql', name: 'mid', sql: 'SELECT * FROM base' },
      { id: 'c', kind: 'sql', name: 'top', sql: 'SELECT * FROM mid' },
      { id: 'chart', kind: 'chart', source: 'top', mark: 'line' },
    );
    expect(dependentsOf(nb, { cells: ['a'] })).toEqual(['b', 'c', 'chart']);
  });
});

describe('checkOrder', () => {
  it('finds nothing wrong with a notebook that runs top to bottom', () => {
    expect(checkOrder(sampleNotebook())).toEqual([]);
  });

  it('reports reading a result made below, missing sources and unknown parameters', () => {
    const nb = withCells(
      { id: 'early', kind: 'sql', sql: 'SELECT * FROM late WHERE x > $nope' },
      { id: 'chart', kind: 'chart', source: 'late', mark: 'bar' },
      { id: 'late', kind: 'sql', name: 'late', sql: 'SELECT 1' },
      { id: 'lost', kind: 'chart', source: 'missing', mark: 'bar' },
      { id: 'empty', kind: 'chart', source: '', mark: 'bar' },
      { id: 'an', kind: 'analysis', analysis: 'kpis', params: { x: { $param: 'gone' } } },
    );
    expect(checkOrder(nb)).toEqual([
      {
        cellId: 'early',
        message: 'Cell 1 uses late, which cell 3 makes further down; move cell 3 above cell 1.',
      },
      { cellId: 'early', message: 'Cell 1 uses the parameter nope, which does not exist.' },
      {
        cellId: 'chart',
        message: 'Cell 2 uses late, which cell 3 makes further down; move cell 3 above cell 2.',
      },
      {
        cellId: 'lost',
        message: 'The chart in cell 4 draws missing, but no SQL cell has that name.',
      },
      { cellId: 'empty', message: 'The chart in cell 5 has no source; choose a named SQL result.' },
      { cellId: 'an', message: 'Cell 6 uses the parameter gone, which does not exist.' },
    ]);
    expect(cellDependencies(nb).get('early')!.cells).toEqual([]);
  });
});
