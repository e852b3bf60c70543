/** d/m/y or m/d/y with the same separator twice, optionally followed by a time. */
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * Columns of a sampled CSV whose dates read the same day-first or month-first
 * (03/04/2024 with no value above 12 in either place). DuckDB's sniffer would
 * silently pick one order; these columns are kept as text instead, so the mapping
 * step flags the ambiguity and the user decides. `rows` excludes the header.
 */
export function ambiguousDateColumns(rows: string[][]): number[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const values = rows.map((r) => (r[i] ?? '').trim()).filter(Boolean);
    if (values.length === 0) continue;
    const parts = values.map((v) => NUMERIC_DATE.exec(v));
    if (parts.some((m) => !m)) continue;
    const fits = parts.every((m) => Number(m![1]) <= 12 && Number(m![3]) <= 12);
    const differs = parts.some((m) => m![1] !== m![3]);
    if (fits && differs) out.push(i);
  }
  return out;
}
