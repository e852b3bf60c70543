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

/** A customer list (or any rows) as a CSV file, formulas defused, safe-sharing settings applied. */
export async function downloadCsv(name: string, rows: Record<string, unknown>[]) {
  const { toCsv } = await import('../lib/export/csv.ts');
  const { applySafeSharing } = await import('../lib/export/safe-sharing.ts');
  const { loadSharing } = await import('./sharing-settings.ts');
  const columns = rows.length ? Object.keys(rows[0]) : [];
  // The privacy page's safe-sharing settings: pseudonymised ids, small groups hidden.
  const safe = await applySafeSharing(
    columns,
    rows.map((r) => columns.map((c) => (r[c] ?? null) as never)),
    loadSharing(),
  );
  const csv = toCsv(columns, safe.rows, { bom: true });
  downloadBlob(name, new Blob([csv], { type: 'text/csv' }));
}
