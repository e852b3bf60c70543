/**
 * An error a person can act on: which file, what is wrong (and where), and what
 * to do about it. Retry choices let the UI offer a one-click fix.
 */
export class IngestError extends Error {
  /** The format the file was read as, when known (lets the UI offer format-specific fixes). */
  format?: string;
  /** For text files: how the file was being read when it failed, to start the user's adjustments from. */
  dialect?: Record<string, unknown>;

  constructor(
    readonly file: string,
    readonly problem: string,
    readonly fix: string,
    readonly retry: RetryChoice[] = [],
  ) {
    super(`${file}: ${problem} ${fix}`);
    this.name = 'IngestError';
  }
}

/** A way to load the file anyway, e.g. padding short rows. */
export interface RetryChoice {
  label: string;
  /** Options to merge into the load options when this choice is taken. */
  options: Record<string, unknown>;
}

const MB = 1024 * 1024;

/** Human-readable size: 1.2 MB, 340 KB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** Translate an engine error raised while loading into an IngestError, when we recognise it. */
export function explainEngineError(file: string, error: unknown): IngestError | undefined {
  const text = error instanceof Error ? error.message : String(error);
  if (/Out of Memory|failed to allocate|memory limit/i.test(text)) {
    return new IngestError(
      file,
      'The file is too large to hold in this browser tab: the data engine ran out of memory.',
      'Load a smaller extract (fewer rows or columns), or convert it to Parquet, which needs less memory; for very large data use the retain CLI on native DuckDB.',
    );
  }
  if (/QuotaExceeded|quota|No space left|disk is full/i.test(text)) {
    return new IngestError(
      file,
      'The browser’s storage for this site is full, so the table could not be saved.',
      'Remove tables you no longer need (or wipe old data on the Privacy page), free disk space, then load the file again. Tables already loaded are kept.',
    );
  }
  const line = /CSV Error on Line: (\d+)/.exec(text)?.[1];
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  if (counts) {
    return new IngestError(
      file,
      `Line ${line ?? '?'} has ${counts[2]} fields where the first row has ${counts[1]}.`,
      'Check the delimiter, or load anyway by padding short rows with empty values or skipping rows that do not fit.',
      raggedChoices,
    );
  }
  if (/Invalid unicode|byte sequence mismatch/i.test(text)) {
    return new IngestError(
      file,
      `Line ${line ?? '?'} contains bytes that are not valid text in the chosen encoding.`,
      'Choose the file’s encoding (for exports from Excel on Windows this is usually Windows-1252).',
    );
  }
  if (/not possible to automatically detect the CSV parsing dialect/i.test(text)) {
    return new IngestError(
      file,
      'The rows do not have a consistent number of fields, so the columns cannot be told apart.',
      'Check the delimiter, or load anyway by padding short rows or skipping rows that do not fit.',
      raggedChoices,
    );
  }
  if (
    /No magic bytes|Invalid Parquet|EOF|too small to be a Parquet/i.test(text) &&
    /parquet/i.test(`${file} ${text}`)
  ) {
    return incompleteParquet(file);
  }
  if (/unterminated quote/i.test(text)) {
    return new IngestError(
      file,
      `Line ${line ?? '?'}: a quoted field is never closed, so the rest of the file would be one value.`,
      'Close the quote (a quote inside a value is written twice: ""), or choose “no quote character” if the file does not quote its values.',
    );
  }
  if (/gzip|zlib|inflate|decompress/i.test(text)) {
    return new IngestError(
      file,
      'The gzip-compressed file cannot be decompressed: it is damaged or was cut off.',
      'Download or compress the file again.',
    );
  }
  if (/No magic bytes|Parquet|Invalid Parquet|parquet file/i.test(text)) {
    return new IngestError(
      file,
      `The Parquet file cannot be read: ${firstLine(text)}.`,
      'The file looks damaged or truncated: download or export it again.',
    );
  }
  if (/Conversion Error|Could not convert/i.test(text)) {
    const detail =
      /Could not convert[^\n]*/.exec(text)?.[0] ?? 'a value does not fit its column type';
    return new IngestError(
      file,
      `Line ${line ?? '?'}: ${detail}.`,
      'Load with every column as text, then fix the types after mapping.',
      [{ label: 'Load every column as text', options: { allText: true } }],
    );
  }
  return undefined;
}

/** A Parquet file without its footer: the usual result of an interrupted download or copy. */
export function incompleteParquet(file: string): IngestError {
  return new IngestError(
    file,
    'The Parquet file is incomplete: its end marker (PAR1) and table of contents are missing, so it was cut off while downloading or copying, or it is not Parquet at all.',
    'The file looks damaged or truncated: download or export it again and check that its size matches the original.',
  );
}

function firstLine(text: string): string {
  return text
    .split('\n')[0]
    .replace(/^[A-Za-z ]+Error: /, '')
    .replace(/\.$/, '');
}

export const raggedChoices: RetryChoice[] = [
  { label: 'Pad short rows with empty values', options: { badRows: 'pad' } },
  { label: 'Skip rows that do not fit', options: { badRows: 'skip' } },
];
