/** Unique, non-empty column names: a, a_2, a_3 (case-insensitive, as DuckDB compares them). */
export function dedupe(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    const base = raw.trim() || `column${i}`;
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}_${k}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/**
 * A table name from a file name: lower case, letters/digits/underscores, not
 * starting with a digit, unique among `taken` (orders, orders_2, …).
 */
export function tableNameFor(fileName: string, taken: Iterable<string>, suffix?: string): string {
  const stem = fileName
    .replace(/\.(gz)$/i, '')
    .replace(/\.[a-z0-9]{1,8}$/i, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  let base = `${stem}${suffix ? `_${suffix}` : ''}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  if (!base) base = 'data';
  if (/^\d/.test(base)) base = `t_${base}`;
  if (base.startsWith('_retain')) base = base.slice(1);
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}
