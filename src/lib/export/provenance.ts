import type { Notebook, Parameter } from '../notebook/types.ts';
import type { Mapping } from '../schema/mapping.ts';

/** One loaded file an export was computed from. */
export interface ProvenanceInput {
  file: string;
  /** Bytes. */
  size: number;
  /** Lower-case hex SHA-256 of the file's bytes, from {@link sha256Hex}. */
  sha256: string;
  rows: number;
  /** The table the file was loaded into. */
  table: string;
}

/**
 * The stamp every export carries (CSV comment, Parquet key-value metadata, report
 * footer), so a figure can be traced back to the exact files, mapping and
 * parameters that produced it.
 */
export interface Provenance {
  app: { name: 'Retain'; version: string };
  /** ISO 8601, UTC. */
  createdAt: string;
  inputs: ProvenanceInput[];
  mapping: Mapping | null;
  /** Parameter name → value, as the notebook held them when exporting. */
  parameters: Record<string, number | string | null>;
  notebook: { id: string; title: string } | null;
  /** What safe sharing did to this export (pseudonymised ids, hidden small groups), if anything. */
  safeSharing?: string[];
}

export interface ProvenanceSource {
  version: string;
  inputs: ProvenanceInput[];
  notebook?: Notebook | null;
  /** Defaults to the notebook's mapping, else null. */
  mapping?: Mapping | null;
  /** Defaults to the notebook's parameters. */
  parameters?: Parameter[] | Record<string, number | string | null>;
  /** Defaults to now; pass a fixed date in tests. */
  now?: Date;
}

/** Build a {@link Provenance} stamp, taking the mapping and parameters from the notebook unless given. */
export function createProvenance(source: ProvenanceSource): Provenance {
  const notebook = source.notebook ?? null;
  const parameters = source.parameters ?? notebook?.parameters ?? [];
  return {
    app: { name: 'Retain', version: source.version },
    createdAt: (source.now ?? new Date()).toISOString(),
    inputs: source.inputs.map((input) => ({ ...input })),
    mapping: source.mapping !== undefined ? source.mapping : (notebook?.mapping ?? null),
    parameters: Array.isArray(parameters)
      ? Object.fromEntries(parameters.map((p) => [p.name, p.value]))
      : { ...parameters },
    notebook: notebook ? { id: notebook.id, title: notebook.title } : null,
  };
}

/**
 * Lower-case hex SHA-256 (FIPS 180-4) through WebCrypto, global in browsers and Node 20.
 * WebCrypto has no streaming digest, so the whole input is held in memory once.
 */
export async function sha256Hex(data: Blob | Uint8Array): Promise<string> {
  const bytes: Uint8Array<ArrayBuffer> =
    data instanceof Blob
      ? new Uint8Array(await data.arrayBuffer())
      : data.buffer instanceof ArrayBuffer
        ? (data as Uint8Array<ArrayBuffer>)
        : // digest() refuses views of a SharedArrayBuffer.
          new Uint8Array(data);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The stamp as a few short lines, for CSV comments and plain-text footers. */
export function provenanceText(stamp: Provenance): string[] {
  const lines = [`${stamp.app.name} ${stamp.app.version}, exported ${stamp.createdAt}`];
  if (stamp.notebook) lines.push(`Notebook: ${stamp.notebook.title} (${stamp.notebook.id})`);
  for (const input of stamp.inputs) {
    lines.push(
      `Input: ${input.file} → ${input.table}, ${input.rows} rows, ${formatBytes(input.size)}, sha256 ${input.sha256}`,
    );
  }
  for (const line of mappingSummary(stamp.mapping)) lines.push(`Mapping: ${line}`);
  const params = Object.entries(stamp.parameters);
  if (params.length > 0) {
    lines.push(`Parameters: ${params.map(([k, v]) => `${k} = ${v ?? '(empty)'}`).join(', ')}`);
  }
  for (const note of stamp.safeSharing ?? []) lines.push(`Safe sharing: ${note}`);
  return lines;
}

/** The mapping in a line per table, plus one for currency and time zone; empty without a mapping. */
export function mappingSummary(mapping: Mapping | null): string[] {
  if (!mapping) return [];
  const lines = mapping.tables.map((t) => {
    const columns = Object.entries(t.columns).map(([role, col]) => `${role} = ${col}`);
    return `${t.kind} ← ${t.source}${columns.length ? ` (${columns.join(', ')})` : ''}`;
  });
  lines.push(`currency ${mapping.currency}, time zone ${mapping.timeZone}`);
  return lines;
}

/** Bytes in binary units: "512 B", "1.5 KiB", "12.3 MiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}
