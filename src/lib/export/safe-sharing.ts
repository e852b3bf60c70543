import type { Cell } from '../engine/rows.ts';

/**
 * Safe sharing of results: exports that can leave the consultant's machine without
 * personal data.
 *
 * - **Small-cell suppression** (the disclosure-control rule statistics offices apply
 *   to published tables, e.g. Eurostat's "minimum frequency" rule): in an aggregate
 *   result, a group of fewer than k customers could identify them, so its row is
 *   left out and the export says how many were.
 * - **Pseudonymised customer ids**: each id is replaced by a keyed hash,
 *   HMAC-SHA-256 (RFC 2104, FIPS 198-1) of the id under a secret key kept in this
 *   browser, shown as `c_` + its first 16 hex digits (64 bits). The same customer gets
 *   the same pseudonym in every export made with the same key, so lists can still be
 *   joined; without the key nobody can recompute them from a list of known ids (a
 *   plain hash could be reversed by hashing every id).
 *
 * A result counts as aggregate when it has a customer-count column and no customer-id
 * column; customer lists are pseudonymised, never suppressed.
 */
export interface SafeSharing {
  /** k: hide groups of fewer than k customers; 0 or 1 turns suppression off. */
  minGroupSize: number;
  /** Replace customer ids by keyed pseudonyms. */
  pseudonymise: boolean;
  /** The HMAC key, as hex; made once per browser (see {@link newSecret}). */
  secret: string;
}

export const SAFE_SHARING_OFF: SafeSharing = { minGroupSize: 0, pseudonymise: false, secret: '' };

/** Column names that hold a customer id (canonical `customer_id` and common export names). */
const ID_NAME = /^(customer[_ ]?id|customer|customerid|client[_ ]?id|user[_ ]?id)$/i;
/** Column names that hold the number of customers of a group. */
const COUNT_NAME =
  /^(customers|n_customers|num_customers|customer_count|customers_count|cohort_size|size)$/i;

/** Indexes of the columns that hold customer ids. */
export function idColumns(columns: readonly string[]): number[] {
  return columns.flatMap((c, i) => (ID_NAME.test(c.trim()) ? [i] : []));
}

/** Index of the column with the group's number of customers, or -1. */
export function countColumn(columns: readonly string[]): number {
  return columns.findIndex((c) => COUNT_NAME.test(c.trim()));
}

/** A new random key (256 bits, hex). */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^([0-9a-f]{2})+$/i.test(hex)) throw new Error('The pseudonym key must be hexadecimal.');
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

/** A keyed pseudonymiser: `c_` + 16 hex digits of HMAC-SHA-256(key, id). */
export async function pseudonymiser(secret: string): Promise<(id: string) => Promise<string>> {
  const key = await crypto.subtle.importKey(
    'raw',
    hexBytes(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const encoder = new TextEncoder();
  const cache = new Map<string, string>();
  return async (id) => {
    const hit = cache.get(id);
    if (hit) return hit;
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(id)));
    const text = `c_${Array.from(mac.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    cache.set(id, text);
    return text;
  };
}

export interface SafeRows {
  rows: Cell[][];
  /** Groups left out for having fewer than k customers. */
  hiddenGroups: number;
  /** Names of the columns whose ids were replaced. */
  pseudonymised: string[];
  /** What was done, for the export's provenance. */
  notes: string[];
}

/** Apply the settings to a result's rows (the input is not changed). */
export async function applySafeSharing(
  columns: readonly string[],
  rows: readonly Cell[][],
  settings: SafeSharing,
): Promise<SafeRows> {
  const ids = settings.pseudonymise ? idColumns(columns) : [];
  const count = countColumn(columns);
  const k = Math.floor(settings.minGroupSize);
  const suppress = k > 1 && count >= 0 && idColumns(columns).length === 0;
  const notes: string[] = [];
  let out = rows.map((r) => [...r]);
  let hiddenGroups = 0;
  if (suppress) {
    out = out.filter((r) => {
      const n = Number(r[count]);
      const small = r[count] !== null && Number.isFinite(n) && n < k;
      if (small) hiddenGroups++;
      return !small;
    });
    notes.push(
      `Groups of fewer than ${k} customers (column ${columns[count]}) are hidden: ${hiddenGroups} left out.`,
    );
  }
  if (ids.length) {
    const hash = await pseudonymiser(settings.secret);
    for (const r of out) {
      for (const c of ids) if (r[c] !== null) r[c] = await hash(String(r[c]));
    }
    notes.push(
      `Customer ids (${ids.map((c) => columns[c]).join(', ')}) are replaced by keyed pseudonyms (HMAC-SHA-256).`,
    );
  }
  return { rows: out, hiddenGroups, pseudonymised: ids.map((c) => columns[c]), notes };
}
