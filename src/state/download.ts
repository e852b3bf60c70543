/** Save text as a file on the user's machine (nothing leaves the browser). */
export function downloadText(name: string, text: string, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Save a Blob as a file. */
export function downloadBlob(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A customer list (or any rows) as a CSV file, formulas defused. */
export async function downloadCsv(name: string, rows: Record<string, unknown>[]) {
  const { toCsv } = await import('../lib/export/csv.ts');
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const csv = toCsv(
    columns,
    rows.map((r) => columns.map((c) => (r[c] ?? null) as never)),
    { bom: true },
  );
  downloadBlob(name, new Blob([csv], { type: 'text/csv' }));
}
