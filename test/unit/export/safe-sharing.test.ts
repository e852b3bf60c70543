import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  applySafeSharing,
  countColumn,
  idColumns,
  newSecret,
  pseudonymiser,
  SAFE_SHARING_OFF,
} from '../../../src/lib/export/safe-sharing.ts';

const secret = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
/** The reference: Node's own HMAC (OpenSSL), not WebCrypto. */
const reference = (id: string) =>
  `c_${createHmac('sha256', Buffer.from(secret, 'hex')).update(id, 'utf8').digest('hex').slice(0, 16)}`;

describe('pseudonyms', () => {
  it('are HMAC-SHA-256 of the id under the key, as OpenSSL computes it', async () => {
    const hash = await pseudonymiser(secret);
    for (const id of ['12346', '0042', 'Zoë', '']) expect(await hash(id)).toBe(reference(id));
  });

  it('RFC 4231 test case 2: key "Jefe", "what do ya want for nothing?"', async () => {
    // HMAC-SHA-256 = 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 (RFC 4231 §4.3)
    const hash = await pseudonymiser(Buffer.from('Jefe').toString('hex'));
    expect(await hash('what do ya want for nothing?')).toBe('c_5bdcc146bf60754e');
  });

  it('differ under another key, and keys are 256 random bits', async () => {
    const other = newSecret();
    expect(other).toMatch(/^[0-9a-f]{64}$/);
    expect(other).not.toBe(newSecret());
    expect(await (await pseudonymiser(other))('12346')).not.toBe(reference('12346'));
  });

  it('refuse a key that is not hex', async () => {
    await expect(pseudonymiser('not hex')).rejects.toThrow(/hexadecimal/);
  });
});

describe('columns', () => {
  it('finds customer id and customer count columns by name', () => {
    expect(
      idColumns(['customer_id', 'CustomerID', 'Customer ID', 'order_id', 'customers']),
    ).toEqual([0, 1, 2]);
    expect(countColumn(['segment', 'revenue', 'customers'])).toBe(2);
    expect(countColumn(['cohort', 'cohort_size'])).toBe(1);
    expect(countColumn(['segment', 'revenue'])).toBe(-1);
  });
});

describe('applySafeSharing', () => {
  const columns = ['segment', 'customers', 'revenue'];
  const rows = [
    ['A', 10, 100],
    ['B', 3, 30],
    ['C', 5, 50],
    ['D', null, 0],
    ['E', 1, 9],
  ];

  it('hides groups of fewer than k customers: B (3) and E (1) with k = 5; C (5) stays', async () => {
    const r = await applySafeSharing(columns, rows, { ...SAFE_SHARING_OFF, minGroupSize: 5 });
    expect(r.rows.map((x) => x[0])).toEqual(['A', 'C', 'D']);
    expect(r.hiddenGroups).toBe(2);
    expect(r.notes.join(' ')).toMatch(/fewer than 5 customers .*2 left out/);
    expect(rows).toHaveLength(5); // the input is untouched
  });

  it('changes nothing when off', async () => {
    const r = await applySafeSharing(columns, rows, SAFE_SHARING_OFF);
    expect(r.rows).toEqual(rows);
    expect(r.notes).toEqual([]);
  });

  it('pseudonymises a customer list and never suppresses it (it is not an aggregate)', async () => {
    const list = [
      ['12346', 1],
      ['12347', 7],
      [null, 2],
    ];
    const r = await applySafeSharing(['customer_id', 'customers'], list, {
      minGroupSize: 5,
      pseudonymise: true,
      secret,
    });
    expect(r.rows).toEqual([
      [reference('12346'), 1],
      [reference('12347'), 7],
      [null, 2],
    ]);
    expect(r.hiddenGroups).toBe(0);
    expect(r.pseudonymised).toEqual(['customer_id']);
  });
});

describe('safeView (inside DuckDB, for whole results)', () => {
  it('hashes every distinct id, keeps the row order and hides small groups in SQL', async () => {
    const { NodeEngine } = await import('../../../src/lib/engine/node.ts');
    const { toRows } = await import('../../../src/lib/engine/rows.ts');
    const { safeView } = await import('../../../src/lib/export/safe-sql.ts');
    const engine = await NodeEngine.create();
    try {
      await engine.exec(
        `CREATE TABLE list AS SELECT * FROM (VALUES ('b', 2), ('a', 1), ('b', 3), (NULL, 4)) v(customer_id, n)`,
      );
      const ids = await safeView(engine, 'list', ['customer_id', 'n'], {
        minGroupSize: 0,
        pseudonymise: true,
        secret,
      });
      expect(toRows(await engine.query(`SELECT * FROM "${ids.name}"`))).toEqual([
        { customer_id: reference('b'), n: 2 },
        { customer_id: reference('a'), n: 1 },
        { customer_id: reference('b'), n: 3 },
        { customer_id: null, n: 4 },
      ]);
      await ids.release();

      await engine.exec(
        `CREATE TABLE seg AS SELECT * FROM (VALUES ('A', 10), ('B', 3), ('C', 5), ('D', NULL)) v(segment, customers)`,
      );
      const small = await safeView(engine, 'seg', ['segment', 'customers'], {
        minGroupSize: 5,
        pseudonymise: true,
        secret,
      });
      const rows = toRows(await engine.query(`SELECT segment FROM "${small.name}"`));
      expect(rows.map((r) => r.segment)).toEqual(['A', 'C', 'D']);
      expect(small.hiddenGroups).toBe(1);
      await small.release();
      // Nothing applies: the table itself is exported.
      expect((await safeView(engine, 'seg', ['segment', 'customers'], SAFE_SHARING_OFF)).name).toBe(
        'seg',
      );
    } finally {
      await engine.close();
    }
  });
});
