import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { toRows } from '../../../src/lib/engine/rows.ts';
import { numberFromText } from '../../../src/lib/schema/mapping.ts';
import {
  epochUnit,
  guessDateFormat,
  guessNumberText,
  looksLikeYyyymmdd,
} from '../../../src/lib/schema/patterns.ts';
import { offsetIntervals, utcToZoneSql } from '../../../src/lib/schema/timezone.ts';
import { literal } from '../../../src/lib/sql/quote.ts';

describe('date formats', () => {
  it.each([
    [['2011-12-09 12:50:00', '2010-12-01 08:26:00'], { ambiguous: false, utc: false }],
    [['2024-03-05 14:22:10 +0100'], { ambiguous: false, utc: false }],
    [['2024-03-05T14:22:10Z'], { ambiguous: false, utc: true }],
    [['13/01/2024', '02/02/2024'], { format: '%d/%m/%Y', ambiguous: false, utc: false }],
    [['01/13/2024', '02/02/2024'], { format: '%m/%d/%Y', ambiguous: false, utc: false }],
    [
      ['01/02/2024 10:15', '03/04/2024 09:00'],
      { format: '%d/%m/%Y %H:%M', ambiguous: true, utc: false },
    ],
    [['31.12.2023', '01.01.2024'], { format: '%d.%m.%Y', ambiguous: false, utc: false }],
    [['19970101', '19980630'], { format: '%Y%m%d', ambiguous: false, utc: false }],
  ])('%j', (values, expected) => {
    expect(guessDateFormat(values)).toEqual(expected);
  });

  it('does not take names or numbers for dates', () => {
    expect(guessDateFormat(['Alice', 'Bob'])).toBeUndefined();
    expect(guessDateFormat(['12.50', '3.99'])).toBeUndefined();
  });

  it('recognises YYYYMMDD integers and Unix times', () => {
    expect(looksLikeYyyymmdd([19970101, 19980630])).toBe(true);
    expect(looksLikeYyyymmdd([19971301])).toBe(false);
    expect(epochUnit([1_704_067_200, 1_709_251_200])).toBe('epoch_s');
    expect(epochUnit([1_704_067_200_000])).toBe('epoch_ms');
    expect(epochUnit([17850, 12346])).toBeUndefined();
  });
});

describe('amounts written as text', () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await NodeEngine.create();
  });
  afterAll(async () => engine.close());

  it('guesses the decimal mark', () => {
    expect(guessNumberText(['£1,234.50', '12.00'])).toBe('.');
    expect(guessNumberText(['1.234,50 €', '12,00 €'])).toBe(',');
    expect(guessNumberText(['hello'])).toBeUndefined();
  });

  it.each([
    ['£1,234.50', '.', 1234.5],
    ['1.234,50 €', ',', 1234.5],
    ['(12.00)', '.', -12],
    ['12.00-', '.', -12],
    ['-7', '.', -7],
    ['$ 3', '.', 3],
    ['1e3', '.', 1000],
    ['abc', '.', null],
  ] as const)('%s (decimal %s) → %s', async (text, decimal, expected) => {
    const [row] = toRows(
      await engine.query(`SELECT ${numberFromText(literal(text), decimal)}::DOUBLE AS v`),
    );
    expect(row.v).toBe(expected);
  });
});

describe('time zones without ICU', () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await NodeEngine.create();
  });
  afterAll(async () => engine.close());

  it('finds the 2024 daylight-saving transitions of Europe/London', () => {
    const intervals = offsetIntervals(
      'Europe/London',
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 11, 31),
    );
    // BST began 2024-03-31 01:00 UTC and ended 2024-10-27 01:00 UTC.
    expect(
      intervals.map((i) => [
        Number.isFinite(i.start) ? new Date(i.start).toISOString() : null,
        i.offset,
      ]),
    ).toEqual([
      [null, 0],
      ['2024-03-31T01:00:00.000Z', 60],
      ['2024-10-27T01:00:00.000Z', 0],
    ]);
  });

  it('turns UTC instants into wall-clock time on either side of a transition', async () => {
    const expr = utcToZoneSql('ts', 'Europe/Berlin', Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1));
    const rows = toRows(
      await engine.query(
        `SELECT ${expr} AS local FROM (VALUES (TIMESTAMP '2024-03-31 00:30:00'), (TIMESTAMP '2024-03-31 01:30:00')) t(ts)`,
      ),
    );
    // Berlin is UTC+1 before 2024-03-31 01:00 UTC and UTC+2 after.
    expect(rows.map((r) => r.local)).toEqual([
      new Date('2024-03-31T01:30:00Z'),
      new Date('2024-03-31T03:30:00Z'),
    ]);
  });
});
