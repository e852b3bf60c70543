import { describe, expect, it } from 'vitest';
import { NotebookError } from '../../../src/lib/notebook/errors.ts';
import { bindParameters, parameterReferences } from '../../../src/lib/notebook/parameters.ts';
import type { Parameter } from '../../../src/lib/notebook/types.ts';

const parameters: Parameter[] = [
  { name: 'start', type: 'date', value: '2024-01-01' },
  { name: 'min', type: 'number', value: 10 },
  { name: 'region', type: 'choice', value: null, options: ['North'] },
  { name: 'start_end', type: 'text', value: "O'Brien" },
];

describe('bindParameters', () => {
  it('replaces each reference by ? with the values in order, a parameter used twice bound twice', () => {
    const bound = bindParameters(
      'SELECT * FROM orders WHERE order_ts >= $start::DATE AND amount > $min OR order_ts < $start::DATE',
      parameters,
    );
    expect(bound).toEqual({
      sql: 'SELECT * FROM orders WHERE order_ts >= ?::DATE AND amount > ? OR order_ts < ?::DATE',
      values: ['2024-01-01', 10, '2024-01-01'],
      used: ['start', 'min'],
    });
  });

  it('binds NULL for an empty parameter and takes the longest name', () => {
    expect(bindParameters('SELECT $region, $start_end', parameters)).toEqual({
      sql: 'SELECT ?, ?',
      values: [null, "O'Brien"],
      used: ['region', 'start_end'],
    });
  });

  it('leaves $ inside strings, quoted identifiers and comments alone', () => {
    const sql = [
      "SELECT '$start', 'it''s $min', E'it\\'s $min', \"$min\", \"a\"\"$min\"",
      '-- $nope in a line comment',
      '/* $nope /* nested $nope */ still a comment $nope */',
      'FROM t WHERE x = $min -- $nope',
    ].join('\n');
    const bound = bindParameters(sql, parameters);
    expect(bound.sql).toBe(sql.replace('x = $min', 'x = ?'));
    expect(bound.values).toEqual([10]);
  });

  it('does not read a $ inside a word as a parameter', () => {
    expect(bindParameters('SELECT a$min FROM t', parameters).sql).toBe('SELECT a$min FROM t');
    expect(bindParameters('SELECT $1', parameters).values).toEqual([]);
  });

  it('names an unknown parameter and lists the known ones', () => {
    expect(() => bindParameters('SELECT $end', parameters)).toThrow(NotebookError);
    expect(() => bindParameters('SELECT $end', parameters)).toThrow(
      'There is no parameter named $end. The parameters are: $start, $min, $region, $start_end.',
    );
    expect(() => bindParameters('SELECT $x', [])).toThrow(/no parameters yet/);
  });

  it('refuses a bare ? but not one inside a string', () => {
    expect(() => bindParameters('SELECT ?', parameters)).toThrow(/bare \?/);
    expect(bindParameters("SELECT '?'", parameters).sql).toBe("SELECT '?'");
  });

  it('copes with unterminated strings and comments', () => {
    expect(bindParameters("SELECT $min, 'open $min", parameters).values).toEqual([10]);
    expect(bindParameters('SELECT $min /* open $min', parameters).values).toEqual([10]);
  });
});

describe('parameterReferences', () => {
  it('lists each name once, in order of first use', () => {
    expect(parameterReferences("SELECT $b, $a, $b, '$c'")).toEqual(['b', 'a']);
  });
});
