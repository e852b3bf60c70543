import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/lib/ingest/detect.ts';
import {
  hasHeader,
  raggedRows,
  sniffDialect,
  sniffEncoding,
  splitRecords,
} from '../../../src/lib/ingest/dialect.ts';
import { dedupe, tableNameFor } from '../../../src/lib/ingest/names.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('sniffDialect', () => {
  it.each([
    [',', 'id,name,amount\n1,Ann,10.5\n2,"Bob, Jr.",7\n'],
    [';', 'id;name;amount\n1;Ann;10,5\n2;Bob;7\n'],
    ['\t', 'id\tname\tamount\n1\tAnn\t10.5\n2\tBob\t7\n'],
    ['|', 'id|name|amount\n1|Ann|10.5\n2|Bob|7\n'],
  ])('finds the delimiter %j', (delimiter, text) => {
    expect(sniffDialect(text, 'utf-8')).toMatchObject({ delimiter, header: true, skip: 0 });
  });

  it('prefers the delimiter that splits every row the same way over one that appears in text', () => {
    // Semicolons separate; commas are decimal marks and appear unevenly.
    const text = 'Kunde;Betrag;Datum\nA;1,50;2024-01-02\nB;20;2024-01-03\nC;3,75;2024-01-04\n';
    expect(sniffDialect(text, 'utf-8').delimiter).toBe(';');
  });

  it('recognises space-aligned columns with a header (CDNOW_master.txt)', () => {
    const text =
      ' customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n';
    expect(sniffDialect(text, 'utf-8')).toMatchObject({ delimiter: 'whitespace', header: true });
  });

  it('recognises space-aligned columns without a header (CDNOW_sample.txt)', () => {
    const text =
      ' 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n 00021 0002 19970101  3   63.34\r\n';
    expect(sniffDialect(text, 'utf-8')).toMatchObject({ delimiter: 'whitespace', header: false });
  });

  it('skips title lines above the table', () => {
    const text = 'Orders export\nGenerated 2024-05-01\nid,amount\n1,10\n2,20\n';
    expect(sniffDialect(text, 'utf-8')).toMatchObject({ delimiter: ',', skip: 2, header: true });
  });

  it('keeps quoted newlines and doubled quotes inside one field', () => {
    const records = splitRecords('a,b\n"line 1\nline 2","say ""hi"""\n', ',', '"', 10, false);
    expect(records).toEqual([
      ['a', 'b'],
      ['line 1\nline 2', 'say "hi"'],
    ]);
  });
});

describe('hasHeader', () => {
  it('treats a first row with a number as data', () => {
    expect(
      hasHeader([
        ['1', 'Ann'],
        ['2', 'Bob'],
      ]),
    ).toBe(false);
  });
  it('treats a first row of names above numbers as a header', () => {
    expect(
      hasHeader([
        ['id', 'name'],
        ['1', 'Ann'],
      ]),
    ).toBe(true);
  });
});

describe('raggedRows', () => {
  it('reports rows whose field count differs from the first row, with their numbers', () => {
    expect(
      raggedRows(
        [
          ['a', 'b', 'c'],
          ['1', '2', '3'],
          ['4', '5'],
          ['6', '7', '8', '9'],
        ],
        0,
      ),
    ).toEqual([
      { line: 3, fields: 2, expected: 3 },
      { line: 4, fields: 4, expected: 3 },
    ]);
  });
});

describe('sniffEncoding', () => {
  it('reads UTF-8, with or without BOM', () => {
    expect(sniffEncoding(bytes('name\nJosé\n'))).toBe('utf-8');
    expect(sniffEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('a\n')]))).toBe('utf-8');
  });
  it('recognises UTF-16 by its byte-order mark or its zero bytes', () => {
    expect(sniffEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0a, 0]))).toBe('utf-16le');
    expect(sniffEncoding(new Uint8Array([0xfe, 0xff, 0, 0x61, 0, 0x0a]))).toBe('utf-16be');
    expect(sniffEncoding(new Uint8Array([0x61, 0, 0x2c, 0, 0x62, 0, 0x0a, 0]))).toBe('utf-16le');
  });
  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    // "José;€5" in Windows-1252: é = 0xE9, € = 0x80.
    expect(sniffEncoding(new Uint8Array([0x4a, 0x6f, 0x73, 0xe9, 0x3b, 0x80, 0x35, 0x0a]))).toBe(
      'windows-1252',
    );
  });
  it('does not mistake a UTF-8 character cut at the end of the sample for bad bytes', () => {
    const full = bytes('aaaa é');
    expect(sniffEncoding(full.subarray(0, full.length - 1))).toBe('utf-8');
  });
});

describe('detectFormat', () => {
  it('uses magic bytes before the file name', () => {
    expect(detectFormat('x.csv', bytes('PAR1....'), 8)).toEqual({ format: 'parquet' });
    expect(detectFormat('x.txt', new Uint8Array([0x1f, 0x8b, 8, 0]), 4)).toEqual({
      format: 'csv',
      compressed: 'gzip',
    });
    expect(detectFormat('x.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]), 6)).toEqual({
      format: 'unknown',
      reason: 'image',
    });
    expect(detectFormat('x.csv', new Uint8Array([1, 2, 0, 4, 200, 0]), 6)).toEqual({
      format: 'unknown',
      reason: 'binary',
    });
    expect(detectFormat('x.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]), 4)).toEqual({
      format: 'unknown',
      reason: 'xls',
    });
  });
  it('tells JSON from NDJSON', () => {
    expect(detectFormat('a.json', bytes('[{"a":1}]'), 9).format).toBe('json');
    expect(detectFormat('a.txt', bytes('{"a":1}\n{"a":2}\n'), 16).format).toBe('ndjson');
    expect(detectFormat('a.json', bytes('{"data":[{"a":1}]}'), 18).format).toBe('json');
  });
  it('reports an empty file', () => {
    expect(detectFormat('a.csv', new Uint8Array(), 0)).toEqual({
      format: 'unknown',
      reason: 'empty',
    });
  });
});

describe('names', () => {
  it('derives safe, unique table names from file names', () => {
    expect(tableNameFor('Online Retail (2011).xlsx', [])).toBe('online_retail_2011');
    expect(tableNameFor('orders.csv', ['orders'])).toBe('orders_2');
    expect(tableNameFor('2024 orders.csv', [])).toBe('t_2024_orders');
    expect(tableNameFor('Café.csv.gz', [])).toBe('cafe');
    expect(tableNameFor('book.xlsx', [], 'Sheet 1')).toBe('book_sheet_1');
  });
  it('makes column names unique and non-empty', () => {
    expect(dedupe(['id', 'ID', '', 'id_2', 'id'])).toEqual([
      'id',
      'ID_2',
      'column2',
      'id_2_2',
      'id_3',
    ]);
  });
});
