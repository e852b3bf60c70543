import { looksLikeUtf16, utf16Bom } from './detect.ts';

/** Text encodings offered to the user; DuckDB reads the first two natively, the rest are transcoded. */
export const ENCODINGS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'iso-8859-1',
  'iso-8859-15',
  'windows-1250',
  'shift_jis',
  'gb18030',
] as const;
export type Encoding = (typeof ENCODINGS)[number];

export type Delimiter = ',' | ';' | '\t' | '|' | 'whitespace';

export const DELIMITER_LABELS: Record<Delimiter, string> = {
  ',': 'comma ( , )',
  ';': 'semicolon ( ; )',
  '\t': 'tab',
  '|': 'pipe ( | )',
  whitespace: 'spaces (aligned columns)',
};

/** How a delimited text file is read. Every field can be overridden by the user. */
export interface CsvDialect {
  encoding: Encoding;
  delimiter: Delimiter;
  quote: '"' | "'" | '';
  header: boolean;
  /** Lines to skip before the header (e.g. a title line in a report export). */
  skip: number;
}

/**
 * Guess the encoding from a byte-order mark, or by checking that the head is valid
 * UTF-8; anything else is taken as Windows-1252, the usual "ANSI" of spreadsheet exports.
 */
export function sniffEncoding(head: Uint8Array): Encoding {
  const bom = utf16Bom(head) ?? looksLikeUtf16(head);
  if (bom) return bom;
  // Cut a possibly split multi-byte character at the end of the sample.
  let end = head.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = head[end - k];
    if ((b & 0xc0) === 0xc0) {
      end -= k;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

export function decodeHead(head: Uint8Array, encoding: Encoding): string {
  return new TextDecoder(encoding).decode(head).replace(/^\uFEFF/, '');
}

/**
 * Split text into records, honouring quotes (doubled quotes inside, newlines
 * inside quotes). Stops after `limit` records. The last record is dropped when
 * `partial` is set, since a sample may end mid-record.
 */
export function splitRecords(
  text: string,
  delimiter: string,
  quote: string,
  limit = 500,
  partial = true,
): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  while (i < n && records.length < limit) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === quote) {
        if (text[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        inQuotes = false;
      } else field += ch;
      i++;
      continue;
    }
    if (quote && ch === quote && field === '') {
      inQuotes = true;
    } else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (records.length < limit && (field !== '' || record.length > 0) && !partial) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

const CANDIDATES: Exclude<Delimiter, 'whitespace'>[] = [',', ';', '\t', '|'];

interface Candidate {
  delimiter: Delimiter;
  /** The most common number of fields per record. */
  fields: number;
  /** Share of records with that number of fields. */
  consistency: number;
}

/** Whitespace-aligned columns (CDNOW): split trimmed lines on runs of spaces. */
export function splitWhitespace(text: string, limit = 500): string[][] {
  return text
    .split(/\r?\n|\r/)
    .slice(0, limit)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => l.split(/\s+/));
}

function score(delimiter: Delimiter, records: string[][]): Candidate {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let fields = 1;
  let best = 0;
  for (const [k, v] of counts) if (v > best || (v === best && k > fields)) [fields, best] = [k, v];
  return { delimiter, fields, consistency: records.length ? best / records.length : 0 };
}

/**
 * Sniff the dialect of a text sample: the delimiter with the most consistent
 * field count above one wins (as in Python's csv.Sniffer); aligned columns
 * separated by spaces are recognised when no delimiter splits the lines.
 */
export function sniffDialect(sample: string, encoding: Encoding): CsvDialect {
  const text = sample.replace(/^\uFEFF/, '');
  // Drop the last line: the sample may end in the middle of it.
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  const complete = cut > 0 ? text.slice(0, cut + 1) : text;
  const scored = CANDIDATES.map((d) => score(d, splitRecords(complete, d, '"')))
    .filter((c) => c.fields > 1)
    .sort((a, b) => b.consistency - a.consistency || b.fields - a.fields);
  let delimiter: Delimiter = ',';
  let records: string[][];
  const ws = score('whitespace', splitWhitespace(complete));
  if (scored.length > 0 && scored[0].consistency >= Math.min(0.9, ws.consistency)) {
    delimiter = scored[0].delimiter;
    records = splitRecords(complete, delimiter, '"');
  } else if (ws.fields > 1 && ws.consistency >= 0.9) {
    delimiter = 'whitespace';
    records = splitWhitespace(complete);
  } else {
    records = splitRecords(complete, delimiter, '"');
  }
  const skip = preambleLines(records, delimiter === 'whitespace' ? 0 : (scored[0]?.fields ?? 1));
  return { encoding, delimiter, quote: '"', header: hasHeader(records.slice(skip)), skip };
}

/**
 * Title lines above the table (a report name, an export date) have a single field
 * where the table has several; count them so they can be skipped.
 */
function preambleLines(records: string[][], fields: number): number {
  if (fields <= 1) return 0;
  let k = 0;
  while (k < records.length && k < 20 && records[k].length === 1) k++;
  return k < records.length ? k : 0;
}

const NUMERIC = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?%?$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?/;
const CURRENCY = /^[-+]?[$€£¥]\s?\d[\d,. ]*$/;

export function looksTyped(value: string): boolean {
  const v = value.trim();
  return (
    v !== '' && (NUMERIC.test(v) || DATE_LIKE.test(v) || CURRENCY.test(v) || /^\d{8}$/.test(v))
  );
}

/**
 * A first row is a header when none of its fields looks like a number or a date,
 * none is empty, and some column below it does hold numbers or dates; a table of
 * text only is assumed to have a header (exports nearly always do).
 */
export function hasHeader(records: string[][]): boolean {
  if (records.length === 0) return true;
  const [first, ...rest] = records;
  if (first.some((v) => looksTyped(v))) return false;
  if (first.some((v) => v.trim() === '')) {
    // Blank header cells happen (an unnamed index column), but not in data rows alone.
    return rest.length > 0 && first.filter((v) => v.trim() === '').length < first.length / 2;
  }
  return true;
}

/**
 * Records whose field count differs from the first record's: ragged rows,
 * reported with 1-based line numbers (header included, preamble skipped).
 */
export function raggedRows(
  records: string[][],
  skip: number,
): { line: number; fields: number; expected: number }[] {
  const body = records.slice(skip);
  if (body.length === 0) return [];
  const expected = body[0].length;
  const out: { line: number; fields: number; expected: number }[] = [];
  body.forEach((r, i) => {
    if (r.length !== expected) out.push({ line: skip + i + 1, fields: r.length, expected });
  });
  return out;
}

/**
 * The line (1-based) where a quoted field opens that is still open at the end of
 * `text`: one stray quote swallows the rest of the file into a single value, which
 * otherwise shows up only as a confusing "wrong number of fields".
 */
export function unclosedQuote(text: string, quote: string): number | undefined {
  if (!quote) return undefined;
  let line = 1;
  let openedAt = 0;
  let inQuotes = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === quote) {
        if (text[i + 1] === quote) i++;
        else inQuotes = false;
      } else if (ch === '\n') line++;
      continue;
    }
    if (ch === quote && fieldStart) {
      inQuotes = true;
      openedAt = line;
    }
    if (ch === '\n') line++;
    fieldStart = ch === '\n' || ch === '\r' || !/[^,;\t|]/.test(ch);
  }
  return inQuotes ? openedAt : undefined;
}

/**
 * Another delimiter that splits every given ragged row into the expected number of
 * fields: the sign of a file put together from exports with different delimiters.
 */
export function otherDelimiter(
  rows: string[][],
  used: Delimiter,
  expected: number,
): Delimiter | undefined {
  if (used === 'whitespace' || rows.length === 0) return undefined;
  const lines = rows.map((r) => r.join(used));
  return CANDIDATES.find(
    (d) =>
      d !== used && lines.every((l) => splitRecords(l, d, '"', 2, false)[0]?.length === expected),
  );
}
