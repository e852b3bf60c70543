import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTables } from '../../src/lib/catalog/tables.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import type { Decoders } from '../../src/lib/ingest/decoders.ts';
import { IngestError } from '../../src/lib/ingest/errors.ts';
import { fromBytes, type InputFile } from '../../src/lib/ingest/input.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { csvField } from '../../src/lib/export/csv.ts';
import { detectMapping } from '../../src/lib/schema/detect.ts';
import { utf8 } from '../support/bytes.ts';
import { ident } from '../../src/lib/sql/quote.ts';

/** A file Retain must refuse: what the message must say (problem parts, in order) and the fix. */
interface Refusal {
  file: string;
  why: string;
  problem: RegExp[];
  fix: RegExp;
}

/** A file that must load, with the tables it makes and the notes the user sees. */
interface Loads {
  file: string;
  why: string;
  tables: { rows: number; columns: string[] }[];
  /** For very wide tables: the number of columns instead of their list. */
  columnCount?: number;
  dialect?: Record<string, unknown>;
  warnings?: RegExp[];
  rows?: { sql: string; expected: Record<string, unknown>[] };
  /** What the mapping step must say about the table. */
  mappingNote?: RegExp;
  /** The `note` column as written to a CSV export, ordered by customer_id. */
  exported?: string[];
}

const orderColumns = (date: string) => [
  'customer_id:VARCHAR',
  `order_date:${date}`,
  'amount:BIGINT',
];
const accentRows = {
  sql: 'SELECT name, city, amount::INTEGER AS amount FROM $table ORDER BY amount',
  expected: [
    { name: 'José', city: 'München', amount: 10 },
    { name: 'Zoë', city: 'Kraków', amount: 20 },
    { name: 'François', city: 'Zürich', amount: 30 },
  ],
};
const accentColumns = ['name:VARCHAR', 'city:VARCHAR', 'amount:BIGINT'];
// make.mjs writes the dates of C1, C2, C3 as 5 Jan, 17 Feb and 30 Mar 2024 in each format.
const isoDates = {
  sql: `SELECT strftime(order_date, '%Y-%m-%d') AS d FROM $table ORDER BY customer_id`,
  expected: [{ d: '2024-01-05' }, { d: '2024-02-17' }, { d: '2024-03-30' }],
};
const header = /header \(customer_id, order_date, amount\) but no rows/;
const noRows = /Export the data again with its rows/;
const notRecords = /JSON array of objects .* or NDJSON/;
const damaged = /damaged or truncated/;

const refusals: Refusal[] = [
  { file: 'empty.csv', why: '0 bytes', problem: [/empty \(0 bytes\)/], fix: /export finished/ },
  { file: 'empty.json', why: '0 bytes', problem: [/empty \(0 bytes\)/], fix: /export finished/ },
  { file: 'empty.parquet', why: '0 bytes', problem: [/empty \(0 bytes\)/], fix: /export finished/ },
  {
    file: 'blank-lines.csv',
    why: 'only blank lines',
    problem: [/no text: only blank lines/],
    fix: /export finished/,
  },
  {
    file: 'bom-only.csv',
    why: 'a UTF-8 byte-order mark and nothing else',
    problem: [/no text/],
    fix: /export finished/,
  },
  {
    file: 'whitespace-only.json',
    why: 'spaces only',
    problem: [/JSON file holds no data/],
    fix: /export finished/,
  },
  { file: 'header-only.csv', why: 'a header and no rows', problem: [header], fix: noRows },
  { file: 'header-only-crlf.csv', why: 'a header ending in CRLF', problem: [header], fix: noRows },
  { file: 'header-only.tsv', why: 'a tab-separated header', problem: [header], fix: noRows },
  {
    file: 'header-only.xlsx',
    why: 'a sheet with a header and no rows (it used to load the header as a row)',
    problem: [/Sheet “Orders” has a header \(customer_id, order_date, amount\) but no rows/],
    fix: /with its rows/,
  },
  {
    file: 'empty-sheets.xlsx',
    why: 'two empty sheets',
    problem: [/Every sheet .* is empty/],
    fix: /right workbook/,
  },
  {
    file: 'binary-noise.csv',
    why: 'random bytes named .csv',
    problem: [/binary data, not text/],
    fix: /export it again as plain text/,
  },
  // "customer_id,amount\n" is 19 bytes, "C1,10\n" 6, "C2" 2: the NUL is byte 28, on line 3.
  {
    file: 'nul-in-text.csv',
    why: 'a text export with a NUL byte',
    problem: [/zero byte \(NUL\) at line 3 \(byte 28\)/],
    fix: /line 3/,
  },
  {
    file: 'photo.csv',
    why: 'a PNG named .csv',
    problem: [/an image, not a data file/],
    fix: /CSV, Parquet, JSON or Excel/,
  },
  {
    file: 'report.csv',
    why: 'a PDF named .csv',
    problem: [/PDF document/],
    fix: /Export the underlying data/,
  },
  { file: 'archive.csv', why: 'a zip named .csv', problem: [/zip archive/], fix: /Unzip it first/ },
  {
    file: 'old-excel.csv',
    why: 'an Excel 97–2003 file named .csv',
    problem: [/Excel 97–2003/],
    fix: /save it as \.xlsx or CSV/,
  },
  {
    file: 'login-page.csv',
    why: 'an HTML sign-in page saved as the export',
    problem: [/web page \(HTML\)/],
    fix: /signed-in browser/,
  },
  {
    file: 'broken.csv.gz',
    why: 'a gzip header and garbage',
    problem: [/gzip-compressed file cannot be decompressed/],
    fix: /compress the file again/,
  },
  {
    file: 'mixed-delimiters.csv',
    why: 'rows 3 and 5 use semicolons',
    problem: [
      /first row has 3, but row 3 has 1, row 5 has 1/,
      /split by semicolon .* mixes delimiters/,
    ],
    fix: /one delimiter/,
  },
  {
    file: 'ragged-short.csv',
    why: 'row 3 has 2 fields',
    problem: [/first row has 3, but row 3 has 2\./],
    fix: /padding short rows/,
  },
  {
    file: 'ragged-long.csv',
    why: 'row 3 has 4 fields',
    problem: [/first row has 3, but row 3 has 4\./],
    fix: /skipping rows/,
  },
  // Rows 3, 5, 7, 9, 11 (i = 1, 3, 5, 7, 9 in make.mjs) have two fields: three named, two more.
  {
    file: 'ragged-many.csv',
    why: 'five short rows',
    problem: [/row 3 has 2, row 5 has 2, row 7 has 2 \(and 2 more/],
    fix: /padding/,
  },
  {
    file: 'unclosed-quote.csv',
    why: 'a quote opened on line 3 is never closed',
    problem: [/Line 3 opens a quoted field \("\) that is never closed/],
    fix: /Close the quote on line 3/,
  },
  {
    file: 'json-object.json',
    why: 'one object',
    problem: [/single object, not a list/],
    fix: notRecords,
  },
  { file: 'json-number.json', why: 'one number', problem: [/single number/], fix: notRecords },
  { file: 'json-string.json', why: 'one string', problem: [/single string/], fix: notRecords },
  { file: 'json-null.json', why: 'null', problem: [/single null/], fix: notRecords },
  { file: 'json-empty-array.json', why: '[]', problem: [/list is empty/], fix: noRows },
  // The file is 64 characters long and ends inside the second record.
  {
    file: 'json-truncated.json',
    why: 'cut mid-record',
    problem: [/ends before it is complete \(at line 1, column 64\)/],
    fix: /again/,
  },
  // Line 3 is `  {"customer_id": "C2"},`: 2 spaces + 21 characters, so the comma is column 24.
  {
    file: 'json-trailing-comma.json',
    why: 'a comma before ]',
    problem: [/line 3, column 24: a comma before a closing bracket/],
    fix: /Remove the comma at line 3, column 24/,
  },
  { file: 'ndjson-bad-line.ndjson', why: 'line 3 is cut', problem: [/line 3/], fix: /again/ },
  {
    file: 'ndjson-array-line.ndjson',
    why: 'line 2 is an array',
    problem: [/Line 2 is not a JSON object/],
    fix: /one object/,
  },
  {
    file: 'truncated.parquet',
    why: 'the first half of a real Parquet file',
    problem: [/Parquet file is incomplete: its end marker \(PAR1\)/],
    fix: damaged,
  },
  {
    file: 'fake.parquet',
    why: 'PAR1 and text',
    problem: [/Parquet file is incomplete/],
    fix: damaged,
  },
  {
    file: 'truncated.xlsx',
    why: 'the first 200 bytes of a workbook',
    problem: [/workbook is damaged or incomplete/],
    fix: /save it again as \.xlsx/,
  },
];

const loads: Loads[] = [
  {
    file: 'utf16le-bom.csv',
    why: 'UTF-16LE with a BOM',
    tables: [{ rows: 3, columns: accentColumns }],
    dialect: { encoding: 'utf-16le' },
    rows: accentRows,
  },
  {
    file: 'utf16be-bom.csv',
    why: 'UTF-16BE with a BOM',
    tables: [{ rows: 3, columns: accentColumns }],
    dialect: { encoding: 'utf-16be' },
    rows: accentRows,
  },
  {
    file: 'utf16le-no-bom.csv',
    why: 'UTF-16LE without a BOM',
    tables: [{ rows: 3, columns: accentColumns }],
    dialect: { encoding: 'utf-16le' },
    rows: accentRows,
  },
  {
    file: 'utf8-bom.csv',
    why: 'the BOM stays out of the first name',
    tables: [{ rows: 3, columns: accentColumns }],
    dialect: { encoding: 'utf-8' },
    rows: accentRows,
  },
  {
    file: 'latin1.csv',
    why: 'Latin-1 read as Windows-1252 (its superset for letters)',
    tables: [{ rows: 3, columns: accentColumns }],
    dialect: { encoding: 'windows-1252', delimiter: ';' },
    rows: {
      sql: 'SELECT name, city FROM $table ORDER BY amount',
      expected: [
        { name: 'José', city: 'München' },
        { name: 'Zoë', city: 'Ålesund' },
        { name: 'François', city: 'Zürich' },
      ],
    },
  },
  {
    file: 'windows-1252-euro.csv',
    why: '€ is byte 0x80 in Windows-1252',
    tables: [{ rows: 2, columns: ['product:VARCHAR', 'price:VARCHAR'] }],
    dialect: { encoding: 'windows-1252' },
    rows: {
      sql: 'SELECT product, price FROM $table ORDER BY price DESC',
      expected: [
        { product: 'Café', price: '€5' },
        { product: 'Thé', price: '€4' },
      ],
    },
  },
  {
    file: 'tab-named-csv.csv',
    why: 'tabs in a .csv',
    tables: [{ rows: 2, columns: orderColumns('DATE') }],
    dialect: { delimiter: '\t' },
  },
  {
    file: 'pipe.txt',
    why: 'pipes in a .txt',
    tables: [{ rows: 2, columns: orderColumns('DATE') }],
    dialect: { delimiter: '|' },
  },
  {
    file: 'semicolon-decimal-comma.csv',
    why: 'decimal commas stay text; the mapping parses them with a comma',
    tables: [{ rows: 3, columns: ['customer_id:VARCHAR', 'amount:VARCHAR'] }],
    dialect: { delimiter: ';' },
    mappingNote: /amount: numbers written as text/,
  },
  {
    file: 'quoted-newlines.csv',
    why: 'a newline and doubled quotes inside quotes',
    tables: [{ rows: 2, columns: ['customer_id:VARCHAR', 'note:VARCHAR', 'amount:BIGINT'] }],
    rows: {
      sql: 'SELECT note FROM $table ORDER BY customer_id',
      expected: [{ note: 'line one\nline two' }, { note: 'say "hi"' }],
    },
  },
  {
    file: 'trailing-delimiters.csv',
    why: 'a comma at the end of every line makes a blank, nameless column',
    tables: [{ rows: 2, columns: ['customer_id:VARCHAR', 'amount:BIGINT', 'column2:VARCHAR'] }],
    warnings: [/column 3 has no name and was called “column2”/],
  },
  {
    file: 'duplicate-headers.csv',
    why: 'amount twice',
    tables: [{ rows: 2, columns: ['customer_id:VARCHAR', 'amount:BIGINT', 'amount_1:BIGINT'] }],
    warnings: [/“amount” \(column 3\) repeats an earlier name and was renamed “amount_1”/],
    rows: {
      sql: 'SELECT sum(amount)::INTEGER AS a, sum(amount_1)::INTEGER AS b FROM $table',
      expected: [{ a: 30, b: 32 }],
    },
  },
  {
    file: 'case-duplicate-headers.csv',
    why: 'Amount, amount, AMOUNT: one name to SQL',
    tables: [{ rows: 2, columns: ['Amount:BIGINT', 'amount_1:BIGINT', 'AMOUNT_2:BIGINT'] }],
    warnings: [
      /“amount” \(column 2\) .* renamed “amount_1”; “AMOUNT” \(column 3\) .* renamed “AMOUNT_2”/,
    ],
  },
  {
    file: 'blank-header.csv',
    why: 'a blank header cell',
    tables: [{ rows: 2, columns: ['customer_id:VARCHAR', 'column1:VARCHAR', 'amount:BIGINT'] }],
    warnings: [/column 2 has no name and was called “column1”/],
  },
  {
    file: 'title-lines.csv',
    why: 'two title lines above the header',
    tables: [{ rows: 2, columns: orderColumns('DATE') }],
    dialect: { skip: 2, header: true },
  },
  {
    file: 'hostile-header.csv',
    why: 'quotes, SQL and a formula in header names are only names',
    tables: [{ rows: 1, columns: ['id:BIGINT', 'a";DROP TABLE x;--:BIGINT', '=SUM(A1):BIGINT'] }],
  },
  {
    file: 'orders.csv',
    why: 'a file named like a canonical view gets another table name',
    tables: [{ rows: 1, columns: orderColumns('DATE') }],
  },
  {
    file: 'wide-10000-columns.csv',
    why: '10,000 columns',
    tables: [{ rows: 3, columns: [] }],
    columnCount: 10_000,
    // Row r (0, 1, 2) holds r × 10,000 + column number: c1 = 1, 10,001, 20,001; c10000 = 10,000, 20,000, 30,000.
    rows: {
      sql: 'SELECT sum(c1)::INTEGER AS first, sum(c10000)::INTEGER AS last FROM $table',
      expected: [{ first: 30_003, last: 60_000 }],
    },
  },
  {
    file: 'dates-iso.csv',
    why: 'YYYY-MM-DD',
    tables: [{ rows: 3, columns: orderColumns('DATE') }],
    rows: isoDates,
  },
  {
    file: 'dates-day-first.csv',
    why: 'DD/MM/YYYY, 17 and 30 rule out month first',
    tables: [{ rows: 3, columns: orderColumns('DATE') }],
    rows: isoDates,
  },
  {
    file: 'dates-month-first.csv',
    why: 'MM/DD/YYYY, 17 and 30 rule out day first',
    tables: [{ rows: 3, columns: orderColumns('DATE') }],
    rows: isoDates,
  },
  {
    file: 'dates-dotted.csv',
    why: 'DD.MM.YYYY',
    tables: [{ rows: 3, columns: orderColumns('DATE') }],
    rows: isoDates,
  },
  {
    file: 'dates-ambiguous.csv',
    why: '03/04/2024: either order fits, so the column stays text and the mapping flags it',
    tables: [{ rows: 3, columns: orderColumns('VARCHAR') }],
    warnings: [
      /“order_date”: dates such as 03\/04\/2024 read the same day first or month first in every row/,
    ],
    mappingNote: /order_date: day\/month order is ambiguous/,
  },
  {
    file: 'dates-settled-day-first.csv',
    why: '599 × 03/04/2024 then 25/12/2024: the whole column settles day first',
    tables: [{ rows: 600, columns: orderColumns('DATE') }],
    // Day first: 03/04 is 3 April; 25/12 is 25 December.
    rows: {
      sql: `SELECT count(*) FILTER (WHERE order_date = DATE '2024-04-03')::INTEGER AS april,
                   strftime(max(order_date), '%Y-%m-%d') AS last FROM $table`,
      expected: [{ april: 599, last: '2024-12-25' }],
    },
  },
  {
    file: 'dates-settled-month-first.csv',
    why: '599 × 03/04/2024 then 12/25/2024: the whole column settles month first',
    tables: [{ rows: 600, columns: orderColumns('DATE') }],
    // Month first: 03/04 is 4 March; 12/25 is 25 December.
    rows: {
      sql: `SELECT count(*) FILTER (WHERE order_date = DATE '2024-03-04')::INTEGER AS march,
                   strftime(max(order_date), '%Y-%m-%d') AS last FROM $table`,
      expected: [{ march: 599, last: '2024-12-25' }],
    },
  },
  {
    file: 'dates-yyyymmdd.csv',
    why: 'YYYYMMDD numbers, recognised at mapping',
    tables: [{ rows: 3, columns: orderColumns('BIGINT') }],
    mappingNote: /order_date: dates written as YYYYMMDD/,
  },
  {
    file: 'dates-unix-seconds.csv',
    // 1704412800 = 1704067200 (2024-01-01) + 4 × 86,400: 5 January 2024.
    why: 'Unix seconds, recognised at mapping',
    tables: [{ rows: 3, columns: orderColumns('BIGINT') }],
    mappingNote: /order_date: Unix time in seconds/,
  },
  {
    file: 'dates-mixed.csv',
    why: 'three formats in one column stay text and are not proposed as a date',
    tables: [{ rows: 3, columns: orderColumns('VARCHAR') }],
  },
  ...['dollar', 'euro', 'thousands', 'accounting'].map((kind) => ({
    file: `amounts-${kind}.csv`,
    why: 'amounts written as text load as text; the mapping reads them as numbers',
    tables: [{ rows: 3, columns: ['customer_id:VARCHAR', 'amount:VARCHAR'] }],
    mappingNote: /amount: numbers written as text/,
  })),
  {
    file: 'long-string.csv',
    why: 'a 100,000-character value is kept whole',
    tables: [{ rows: 2, columns: ['customer_id:VARCHAR', 'note:VARCHAR'] }],
    rows: {
      sql: 'SELECT max(length(note))::INTEGER AS longest FROM $table',
      expected: [{ longest: 100_000 }],
    },
  },
  {
    file: 'json-numbers-array.json',
    why: 'a list of plain values becomes one column, with a note',
    tables: [{ rows: 3, columns: ['value:BIGINT'] }],
    warnings: [/list of 3 plain values, not records/],
  },
  {
    file: 'json-wrapped.json',
    why: 'records inside an object',
    tables: [{ rows: 2, columns: ['customer_id:VARCHAR'] }],
    warnings: [/read from the "data" field/],
  },
  {
    file: 'merged-cells.xlsx',
    why: 'a merged title is skipped and a customer merged over two orders fills both',
    tables: [{ rows: 3, columns: ['customer_id:VARCHAR', 'order_id:VARCHAR', 'amount:BIGINT'] }],
    warnings: [/skipped 1 title row/, /merged cells A3:A4 were unmerged/],
    rows: {
      sql: 'SELECT customer_id, order_id FROM $table ORDER BY order_id',
      expected: [
        { customer_id: 'C1', order_id: 'O1' },
        { customer_id: 'C1', order_id: 'O2' },
        { customer_id: 'C2', order_id: 'O3' },
      ],
    },
  },
  {
    file: 'several-sheets.xlsx',
    why: 'a table per sheet; the empty sheet is named as skipped',
    tables: [
      { rows: 2, columns: ['customer_id:VARCHAR', 'country:VARCHAR'] },
      { rows: 3, columns: ['customer_id:VARCHAR', 'amount:BIGINT'] },
    ],
    warnings: [/Sheet “Notes” is empty and was skipped/],
  },
  {
    file: 'csv-injection.csv',
    why: 'formula payloads load as plain text and are defused on export',
    tables: [{ rows: 6, columns: ['customer_id:VARCHAR', 'note:VARCHAR'] }],
    rows: {
      sql: 'SELECT note FROM $table ORDER BY customer_id',
      expected: [
        { note: "=cmd|' /C calc'!A0" },
        { note: '+1+1' },
        { note: '-2+3' },
        { note: '@SUM(A1:A2)' },
        { note: '=HYPERLINK("http://evil.example","click")' },
        { note: '\t=1+1' },
      ],
    },
    // OWASP's defence: a leading ' makes each a literal; fields with " or , are quoted.
    exported: [
      "'=cmd|' /C calc'!A0",
      "'+1+1",
      "'-2+3",
      "'@SUM(A1:A2)",
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
      "'\t=1+1",
    ],
  },
];

export interface BadInputHarness {
  engine: () => Promise<SqlEngine>;
  decoders: () => Decoders;
  /** A file of test/fixtures/bad-input/ by name. */
  open: (name: string) => Promise<InputFile>;
}

/**
 * Issue 10's bad-input corpus through the real loader, on both engines. Each case
 * and its expected outcome is written down in test/fixtures/bad-input/EXPECTED.md;
 * the expected figures are read off the fixture text in make.mjs, not from a run.
 * Around every file, a table loaded before it must keep its rows and checksum.
 */
export function badInputSuite(label: string, harness: BadInputHarness) {
  describe(`bad input: ${label}`, () => {
    let engine: SqlEngine;
    let before: { tables: [string, number][]; good: Record<string, unknown> };
    const goodState = async () =>
      toRows(
        await engine.query(
          `SELECT count(*)::INTEGER AS n, sum(hash(customer_id, amount))::VARCHAR AS checksum,
                  sum(amount)::DOUBLE AS total FROM good_orders`,
        ),
      )[0];
    const tables = async () =>
      (await listTables(engine)).map((t) => [t.name, t.rows] as [string, number]);
    const load = async (name: string) =>
      loadFile(engine, harness.decoders(), await harness.open(name));

    beforeAll(async () => {
      engine = await harness.engine();
      // The data a person already had open: 3 orders, 10 + 20 + 30 = 60.
      await loadFile(
        engine,
        harness.decoders(),
        fromBytes('good-orders.csv', utf8('customer_id,amount\nA,10\nB,20\nC,30\n')),
      );
      before = { tables: await tables(), good: await goodState() };
      expect(before.good).toMatchObject({ n: 3, total: 60 });
    }, 60_000);
    afterAll(async () => engine?.close());

    describe.each(refusals)('$file is refused with a specific message', (c) => {
      it(`${c.file}: ${c.why}`, async () => {
        const error = await load(c.file).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(IngestError);
        const e = error as IngestError;
        expect(e.file).toBe(c.file);
        for (const p of c.problem) expect(e.problem).toMatch(p);
        expect(e.fix).toMatch(c.fix);
        // Nothing half-loaded, nothing touched.
        expect(await tables()).toEqual(before.tables);
        expect(await goodState()).toEqual(before.good);
      });
    });

    describe.each(loads)('$file loads correctly', (c: Loads) => {
      it(`${c.file}: ${c.why}`, async () => {
        const result = await load(c.file);
        expect(
          result.tables.map((t) => ({
            rows: t.rows,
            columns: c.columnCount ? t.columns.length : t.columns.map((x) => `${x.name}:${x.type}`),
          })),
        ).toEqual(c.tables.map((t) => ({ rows: t.rows, columns: c.columnCount ?? t.columns })));
        if (c.dialect) expect(result.dialect).toMatchObject(c.dialect);
        expect(result.warnings).toHaveLength(c.warnings?.length ?? 0);
        c.warnings?.forEach((w, i) => expect(result.warnings[i]).toMatch(w));
        const table = result.tables[0].name;
        if (c.rows) {
          expect(toRows(await engine.query(c.rows.sql.replaceAll('$table', ident(table))))).toEqual(
            c.rows.expected,
          );
        }
        if (c.mappingNote) {
          const { proposal } = await detectMapping(engine, table);
          expect(proposal?.notes.join(' ')).toMatch(c.mappingNote);
        }
        if (c.exported) {
          const values = toRows(
            await engine.query(`SELECT note FROM ${ident(table)} ORDER BY customer_id`),
          ).map((r) => csvField(r.note as string));
          expect(values).toEqual(c.exported);
        }
        for (const t of result.tables) await engine.exec(`DROP TABLE ${ident(t.name)}`);
        expect(await tables()).toEqual(before.tables);
        expect(await goodState()).toEqual(before.good);
      });
    });
  });
}
