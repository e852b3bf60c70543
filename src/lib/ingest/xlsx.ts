import * as XLSX from '@e965/xlsx';
import { dedupe } from './names.ts';
import { IngestError } from './errors.ts';
import { recordsToArrow, toIpc } from './records.ts';

export interface Sheet {
  name: string;
  ipc: Uint8Array;
  rows: number;
  warnings: string[];
}

const isBlank = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Excel's column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * Read every sheet of a workbook into its own Arrow table. Dates stay dates (read
 * in UTC, whatever the machine's zone), title rows above the table are skipped,
 * and a sheet without a text header row gets Excel's column letters as names.
 */
export function parseXlsx(file: string, data: Uint8Array): Sheet[] {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(data, { type: 'array', cellDates: true, dense: true, UTC: true });
  } catch (error) {
    throw new IngestError(
      file,
      `The workbook is damaged or incomplete and cannot be read (${error instanceof Error ? error.message : String(error)}).`,
      'Open it in Excel or LibreOffice and save it again as .xlsx, or export the sheet as CSV.',
    );
  }
  const sheets: Sheet[] = [];
  const skipped: string[] = [];
  for (const name of workbook.SheetNames) {
    const merged = fillMerges(workbook.Sheets[name]);
    const grid = XLSX.utils
      .sheet_to_json<unknown[]>(workbook.Sheets[name], {
        header: 1,
        raw: true,
        defval: null,
        blankrows: false,
        UTC: true,
      })
      .filter((row) => row.some((v) => !isBlank(v)));
    if (grid.length === 0) {
      skipped.push(`Sheet “${name}” is empty and was skipped.`);
      continue;
    }
    if (grid.length === 1 && grid[0].every((v) => isBlank(v) || typeof v === 'string')) {
      skipped.push(
        `Sheet “${name}” has a header (${headerList(grid[0])}) but no rows of data and was skipped.`,
      );
      continue;
    }
    const sheet = sheetToTable(name, grid);
    if (!sheet) continue;
    if (merged.length > 0) {
      sheet.warnings.push(
        `Sheet “${name}”: merged cells ${merged.slice(0, 5).join(', ')}${merged.length > 5 ? ` (and ${merged.length - 5} more)` : ''} were unmerged, each cell taking the merged value.`,
      );
    }
    sheets.push(sheet);
  }
  if (sheets.length === 0) {
    throw new IngestError(
      file,
      skipped.length > 0 && skipped.some((s) => s.includes('header'))
        ? `No sheet of the workbook has rows of data: ${skipped.join(' ')}`
        : 'Every sheet of the workbook is empty.',
      'Check that you exported the right workbook, with its rows (and any filters in the exporting tool).',
    );
  }
  if (skipped.length > 0) sheets[0].warnings.unshift(...skipped);
  return sheets;
}

function headerList(row: unknown[]): string {
  const names = row.filter((v) => !isBlank(v)).map(String);
  return names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
}

/**
 * Excel keeps a merged range's value in its top-left cell only; a customer merged
 * down over their orders would leave every order but the first without one. Copy
 * the value into each cell of the range, as the sheet shows it, and return the
 * ranges (A3:A4) so the user is told. Ranges within one row (titles) are left be.
 */
function fillMerges(sheet: XLSX.WorkSheet): string[] {
  const ranges = sheet['!merges'] ?? [];
  const filled: string[] = [];
  const dense = (sheet as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'];
  for (const range of ranges) {
    if (range.s.r === range.e.r) continue;
    const top = dense ? dense[range.s.r]?.[range.s.c] : sheet[XLSX.utils.encode_cell(range.s)];
    if (!top || isBlank(top.v)) continue;
    for (let r = range.s.r; r <= range.e.r; r++) {
      for (let c = range.s.c; c <= range.e.c; c++) {
        if (r === range.s.r && c === range.s.c) continue;
        if (dense) (dense[r] ??= [])[c] = { ...top };
        else sheet[XLSX.utils.encode_cell({ r, c })] = { ...top };
      }
    }
    filled.push(XLSX.utils.encode_range(range));
  }
  return filled;
}

function sheetToTable(name: string, grid: unknown[][]): Sheet | undefined {
  const warnings: string[] = [];
  const width = Math.max(...grid.map((r) => r.length));
  const filled = (r: unknown[]) => r.filter((v) => !isBlank(v)).length;
  // Title rows (one filled cell above a wider table) are not part of the table.
  let start = 0;
  while (
    start < grid.length - 1 &&
    filled(grid[start]) < Math.max(2, Math.ceil(width / 2)) &&
    filled(grid[start + 1]) > filled(grid[start])
  ) {
    start++;
  }
  if (start > 0) warnings.push(`Sheet “${name}”: skipped ${start} title row(s) above the table.`);
  const first = grid[start];
  const header =
    first.every((v) => isBlank(v) || typeof v === 'string') &&
    filled(first) > 0 &&
    grid.length > start + 1;
  const names = dedupe(
    Array.from({ length: width }, (_, i) =>
      header && !isBlank(first[i]) ? String(first[i]).trim() : columnLetter(i),
    ),
  );
  const body = grid.slice(start + (header ? 1 : 0));
  if (body.length === 0) return undefined;
  const used = names.map((_, i) => body.some((r) => !isBlank(r[i])));
  const records = body.map((row) => {
    const record: Record<string, unknown> = {};
    names.forEach((n, i) => {
      if (used[i]) record[n] = isBlank(row[i]) ? null : row[i];
    });
    return record;
  });
  const order = names.filter((_, i) => used[i]);
  return { name, ipc: toIpc(recordsToArrow(records, order)), rows: records.length, warnings };
}
