import { describe, expect, it } from 'vitest';
import type { Notebook } from '../../../src/lib/notebook/types.ts';
import {
  createProvenance,
  formatBytes,
  provenanceText,
  sha256Hex,
} from '../../../src/lib/export/provenance.ts';
import type { Mapping } from '../../../src/lib/schema/mapping.ts';

// Test vectors from FIPS 180-2, appendix B, and the well-known digest of no bytes.
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MILLION_A = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vectors for bytes', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(ABC);
    expect(await sha256Hex(new Uint8Array(0))).toBe(EMPTY);
    expect(await sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe(MILLION_A);
  });

  it('matches for Blobs', async () => {
    expect(await sha256Hex(new Blob(['abc']))).toBe(ABC);
    expect(await sha256Hex(new Blob([]))).toBe(EMPTY);
  });

  it('hashes only the bytes of a view, and views of shared memory', async () => {
    const padded = new TextEncoder().encode('xabcx').subarray(1, 4);
    expect(await sha256Hex(padded)).toBe(ABC);
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set([0x61, 0x62, 0x63]);
    expect(await sha256Hex(shared)).toBe(ABC);
  });
});

const mapping: Mapping = {
  version: 1,
  currency: 'GBP',
  timeZone: 'Europe/London',
  tables: [
    {
      source: 'online_retail',
      kind: 'orders',
      columns: { customer_id: 'Customer ID', order_ts: 'InvoiceDate' },
      parse: {},
      include: { cancelled: false, nonPositive: false, duplicates: false },
      attributes: [],
    },
  ],
};

const notebook: Notebook = {
  version: 1,
  id: 'nb-1',
  title: 'Q1 retention',
  cells: [],
  parameters: [
    { name: 'months', type: 'number', value: 12 },
    { name: 'segment', type: 'text', value: null },
  ],
  mapping,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
};

const input = { file: 'retail.csv', size: 1536, sha256: ABC, rows: 541909, table: 'online_retail' };

describe('createProvenance', () => {
  it('takes the mapping and parameters from the notebook', () => {
    const stamp = createProvenance({
      version: '0.1.0',
      inputs: [input],
      notebook,
      now: new Date(Date.UTC(2024, 4, 1, 9, 30)),
    });
    expect(stamp).toEqual({
      app: { name: 'Retain', version: '0.1.0' },
      createdAt: '2024-05-01T09:30:00.000Z',
      inputs: [input],
      mapping,
      parameters: { months: 12, segment: null },
      notebook: { id: 'nb-1', title: 'Q1 retention' },
    });
  });

  it('has no notebook, mapping or parameters when none are given', () => {
    const stamp = createProvenance({ version: '0.1.0', inputs: [] });
    expect(stamp.notebook).toBeNull();
    expect(stamp.mapping).toBeNull();
    expect(stamp.parameters).toEqual({});
    expect(Number.isNaN(Date.parse(stamp.createdAt))).toBe(false);
  });

  it('lets the caller leave the mapping out', () => {
    expect(createProvenance({ version: '1', inputs: [], notebook, mapping: null }).mapping).toBe(
      null,
    );
  });
});

describe('provenanceText', () => {
  it('summarises the stamp in short lines', () => {
    const stamp = createProvenance({
      version: '0.1.0',
      inputs: [input],
      notebook,
      now: new Date(Date.UTC(2024, 4, 1)),
    });
    expect(provenanceText(stamp)).toEqual([
      'Retain 0.1.0, exported 2024-05-01T00:00:00.000Z',
      'Notebook: Q1 retention (nb-1)',
      `Input: retail.csv → online_retail, 541909 rows, 1.5 KiB, sha256 ${ABC}`,
      'Mapping: orders ← online_retail (customer_id = Customer ID, order_ts = InvoiceDate)',
      'Mapping: currency GBP, time zone Europe/London',
      'Parameters: months = 12, segment = (empty)',
    ]);
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(45 * 1024 * 1024)).toBe('45.0 MiB');
  });
});
