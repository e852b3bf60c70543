/** The file formats Retain reads. */
export type Format = 'csv' | 'parquet' | 'json' | 'ndjson' | 'xlsx';

export const FORMAT_LABELS: Record<Format, string> = {
  csv: 'CSV / TSV / text',
  parquet: 'Parquet',
  json: 'JSON',
  ndjson: 'NDJSON (one JSON object per line)',
  xlsx: 'Excel workbook',
};

/** What the first bytes say about a file. */
export type Detected =
  | { format: Format; compressed?: 'gzip' }
  | { format: 'unknown'; reason: 'empty' | 'binary' | 'zip' | 'xls' | 'pdf' | 'image' | 'html' };

const startsWith = (bytes: Uint8Array, sig: number[], at = 0) =>
  sig.every((b, i) => bytes[at + i] === b);

/**
 * Detect the format from magic bytes first and the file name second, so a CSV
 * named .txt loads and a binary named .csv is refused with a reason.
 */
export function detectFormat(name: string, head: Uint8Array, size: number): Detected {
  if (size === 0 || head.length === 0) return { format: 'unknown', reason: 'empty' };
  const ext = /\.([a-z0-9]+)(\.gz)?$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return { format: 'parquet' }; // PAR1
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const excel = ext === 'xlsx' || ext === 'xlsm' || looksLikeXlsx(head);
    return excel ? { format: 'xlsx' } : { format: 'unknown', reason: 'zip' };
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return { format: 'unknown', reason: 'xls' };
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return { format: 'unknown', reason: 'pdf' };
  if (
    startsWith(head, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(head, [0xff, 0xd8, 0xff]) ||
    startsWith(head, [0x47, 0x49, 0x46, 0x38])
  ) {
    return { format: 'unknown', reason: 'image' };
  }
  if (startsWith(head, [0x1f, 0x8b])) {
    // DuckDB reads gzip-compressed CSV natively.
    return { format: 'csv', compressed: 'gzip' };
  }
  if (isBinary(head)) return { format: 'unknown', reason: 'binary' };
  const text = firstChars(head);
  // A sign-in or error page saved in place of the export: it would "load" as a table of tags.
  if (/^(<!doctype html|<html[\s>])/i.test(text)) return { format: 'unknown', reason: 'html' };
  if (ext === 'ndjson' || ext === 'jsonl') return { format: 'ndjson' };
  if (text.startsWith('[') || ext === 'json') return { format: 'json' };
  if (text.startsWith('{'))
    return looksLikeNdjson(head) ? { format: 'ndjson' } : { format: 'json' };
  return { format: 'csv' };
}

/** XLSX is a zip whose first entry names are well known. */
function looksLikeXlsx(head: Uint8Array): boolean {
  const text = new TextDecoder('latin1').decode(head.subarray(0, Math.min(head.length, 4096)));
  return /\[Content_Types\]\.xml|xl\/workbook\.xml|docProps\//.test(text);
}

/** NUL bytes outside a UTF-16 text mean binary. */
export function isBinary(head: Uint8Array): boolean {
  if (utf16Bom(head) || looksLikeUtf16(head)) return false;
  const n = Math.min(head.length, 8192);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return true;
    if (b < 7 || (b > 13 && b < 32 && b !== 27)) controls++;
  }
  return controls > n * 0.1;
}

function firstChars(head: Uint8Array): string {
  const encoding = utf16Bom(head) ?? (looksLikeUtf16(head) ? 'utf-16le' : 'utf-8');
  return new TextDecoder(encoding)
    .decode(head.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart();
}

function looksLikeNdjson(head: Uint8Array): boolean {
  const lines = firstChars(head)
    .split(/\r?\n/)
    .slice(0, 5)
    .filter((l) => l.trim());
  return lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'));
}

export function utf16Bom(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  return undefined;
}

/** UTF-16 without a BOM: ASCII text has a zero in every other byte. */
export function looksLikeUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(head.length - (head.length % 2), 2048);
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.7 && evenZero < pairs * 0.1) return 'utf-16le';
  if (evenZero > pairs * 0.7 && oddZero < pairs * 0.1) return 'utf-16be';
  return undefined;
}

/**
 * Where the first zero byte sits, when text comes before it: a text export with a
 * stray NUL (a damaged copy) deserves its line number, not just "binary".
 */
export function firstNul(head: Uint8Array): { byte: number; line: number } | undefined {
  const at = head.indexOf(0);
  if (at <= 0) return undefined;
  const before = head.subarray(0, at);
  if (before.some((b) => b < 9 || (b > 13 && b < 32))) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(before);
  } catch {
    return undefined; // not text before the zero either: plain binary
  }
  return { byte: at + 1, line: before.filter((b) => b === 0x0a).length + 1 };
}

/** Messages for files we cannot read, by reason (`head` adds where, for text with a zero byte). */
export function unknownFormatMessage(
  reason: Extract<Detected, { format: 'unknown' }>['reason'],
  head?: Uint8Array,
) {
  const nul = reason === 'binary' && head ? firstNul(head) : undefined;
  if (nul) {
    return {
      problem: `The file starts as text but has a zero byte (NUL) at line ${nul.line} (byte ${nul.byte.toLocaleString('en')}), which text files never contain: it is damaged or not a text export.`,
      fix: `Remove the zero byte on line ${nul.line} with a text editor, or export the data again as plain text (CSV).`,
    };
  }
  switch (reason) {
    case 'empty':
      return {
        problem: 'The file is empty (0 bytes).',
        fix: 'Export the data again and check that the export finished.',
      };
    case 'xls':
      return {
        problem: 'This is an old Excel 97–2003 workbook (.xls), which Retain does not read.',
        fix: 'Open it in Excel or LibreOffice and save it as .xlsx or CSV.',
      };
    case 'zip':
      return {
        problem: 'This is a zip archive, not a data file.',
        fix: 'Unzip it first, then load the CSV, Parquet, JSON or Excel files inside.',
      };
    case 'pdf':
      return {
        problem: 'This is a PDF document, not a data file.',
        fix: 'Export the underlying data as CSV or Excel instead.',
      };
    case 'image':
      return {
        problem: 'This is an image, not a data file.',
        fix: 'Load a CSV, Parquet, JSON or Excel export.',
      };
    case 'html':
      return {
        problem:
          'This is a web page (HTML), not data: often a sign-in or error page saved in place of the export.',
        fix: 'Open the export link again in a signed-in browser and save the file it downloads, or export the data as CSV.',
      };
    case 'binary':
      return {
        problem: 'The file contains binary data, not text, and is not a format Retain knows.',
        fix: 'Load a CSV, TSV, Parquet, JSON/NDJSON or Excel (.xlsx) file. If this should be a CSV, export it again as plain text.',
      };
  }
}
