import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { toRows } from '../../../src/lib/engine/rows.ts';
import { toCsv } from '../../../src/lib/export/csv.ts';
import { literal } from '../../../src/lib/sql/quote.ts';

describe('toCsv (RFC 4180)', () => {
  it('writes a header, CRLF line ends and a final CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [2, 'y'],
        ],
      ),
    ).toBe('a,b\r\n1,x\r\n2,y\r\n');
  });

  it('quotes fields holding a quote, comma, CR or LF and doubles inner quotes', () => {
    const csv = toCsv(['text'], [['say "hi"'], ['a,b'], ['line\nbreak'], ['cr\rhere'], ['plain']]);
    expect(csv).toBe('text\r\n"say ""hi"""\r\n"a,b"\r\n"line\nbreak"\r\n"cr\rhere"\r\nplain\r\n');
  });

  it('writes null and missing cells as empty fields, empty text as ""', () => {
    expect(toCsv(['a', 'b', 'c'], [[null, 'x', null], ['y'], ['', null, '']])).toBe(
      'a,b,c\r\n,x,\r\ny,,\r\n"",,""\r\n',
    );
  });

  it('writes numbers as plain JS numbers and booleans as words', () => {
    const csv = toCsv(['n'], [[1234567.5], [-5], [-0.25], [0], [1e21], [true], [false]]);
    expect(csv).toBe('n\r\n1234567.5\r\n-5\r\n-0.25\r\n0\r\n1e+21\r\ntrue\r\nfalse\r\n');
  });

  it('writes lists and structs as quoted JSON', () => {
    expect(toCsv(['v'], [[[1, 'a']], [{ k: null }]])).toBe(
      'v\r\n"[1,""a""]"\r\n"{""k"":null}"\r\n',
    );
  });
});

describe('toCsv dates', () => {
  const midnight = new Date(Date.UTC(2024, 0, 31));
  const afternoon = new Date(Date.UTC(2024, 0, 31, 14, 5, 9, 120));

  it('writes date-only ISO 8601 for midnight values of DATE columns', () => {
    const csv = toCsv(['d', 'arrow_d', 'ts'], [[midnight, midnight, midnight]], {
      types: ['DATE', 'Date32<DAY>', 'TIMESTAMP'],
    });
    expect(csv).toBe('d,arrow_d,ts\r\n2024-01-31,2024-01-31,2024-01-31T00:00:00.000Z\r\n');
  });

  it('keeps the time where there is one, or where no type is given', () => {
    expect(toCsv(['d'], [[afternoon]], { types: ['DATE'] })).toBe(
      'd\r\n2024-01-31T14:05:09.120Z\r\n',
    );
    expect(toCsv(['d'], [[midnight]])).toBe('d\r\n2024-01-31T00:00:00.000Z\r\n');
  });

  it('writes an invalid date as empty', () => {
    expect(toCsv(['d'], [[new Date(NaN)]])).toBe('d\r\n\r\n');
  });
});

describe('toCsv formula injection (OWASP CSV Injection)', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('defuses %j', (payload, field) => {
    expect(toCsv(['v'], [[payload]])).toBe(`v\r\n${field}\r\n`);
  });

  it('never alters numbers, and leaves harmless text alone', () => {
    expect(
      toCsv(
        ['n', 't'],
        [
          [-5, 'a-b'],
          [-2.5, ' =x'],
        ],
      ),
    ).toBe('n,t\r\n-5,a-b\r\n-2.5, =x\r\n');
  });

  it('defuses column names too', () => {
    expect(toCsv(['=1+1', 'ok'], [])).toBe("'=1+1,ok\r\n");
  });
});

describe('toCsv options', () => {
  it('adds a UTF-8 byte-order mark only when asked', () => {
    expect(toCsv(['a'], [['é']]).startsWith('\uFEFF')).toBe(false);
    const bytes = new TextEncoder().encode(toCsv(['a'], [['é']], { bom: true }));
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes comment lines before the header', () => {
    expect(toCsv(['a'], [[1]], { comment: ['Retain 0.1.0', 'two\nlines'] })).toBe(
      '# Retain 0.1.0\r\n# two\r\n# lines\r\na\r\n1\r\n',
    );
  });
});

describe('toCsv read back by DuckDB', () => {
  it('round-trips awkward text through read_csv', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-csv-'));
    const engine = await NodeEngine.create();
    try {
      const rows = [
        [1, 'plain', null],
        [2, 'comma, "quoted"\r\nand two lines', 'ü ✓'],
        [3, '', 'x'],
      ];
      const path = join(dir, 'out.csv');
      await writeFile(path, toCsv(['id', 'text', 'other'], rows, { bom: true }));
      const result = await engine.query(
        `SELECT id::DOUBLE AS id, text, other FROM read_csv(${literal(path)}, header = true, quote = '"', escape = '"', allow_quoted_nulls = false) ORDER BY id`,
      );
      expect(toRows(result)).toEqual([
        { id: 1, text: 'plain', other: null },
        { id: 2, text: 'comma, "quoted"\r\nand two lines', other: 'ü ✓' },
        { id: 3, text: '', other: 'x' },
      ]);
    } finally {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
