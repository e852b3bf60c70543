import { describe, expect, it } from 'vitest';
import {
  decodeLabels,
  encodeLabels,
  fromWire,
  toWire,
} from '../../../src/lib/analyses/clv-wire.ts';
import type { ClvInputs } from '../../../src/lib/analyses/clv.ts';

describe('the CLV inputs sent to the fit worker', () => {
  const inputs: ClvInputs = {
    unit: 'week',
    unitDays: 7,
    calibrationEnd: '2024-03-31',
    dataEnd: '2024-06-30',
    holdoutLength: 13,
    holdoutActual: [1, 0, 2],
    sourceOrigin: 'orders.channel',
    customerId: ['a', 'b', 'c', 'd'],
    source: ['web', 'store', 'web', '(unknown)'],
    cohort: ['2024-01', '2024-01', '2024-02', '2024-01'],
    x: Float64Array.of(0, 2, 1, 5),
    tx: Float64Array.of(0, 3.5, 1, 9),
    T: Float64Array.of(10, 11, 6, 12),
    zbar: Float64Array.of(0, 20, 12.5, 7),
    holdoutX: Float64Array.of(0, 1, 0, 3),
    sql: { customers: 'SELECT 1', holdout: 'SELECT 2' },
  };

  it('codes repeated labels by first appearance and decodes them back', () => {
    const coded = encodeLabels(inputs.source);
    expect(coded.labels).toEqual(['web', 'store', '(unknown)']);
    expect([...coded.codes]).toEqual([0, 1, 0, 2]);
    expect(decodeLabels(coded)).toEqual(inputs.source);
  });

  it('carries everything but the customer IDs, as copies the caller keeps', () => {
    const { message, transfer } = toWire(inputs);
    expect(message).not.toHaveProperty('customerId');
    expect(message.customers).toBe(4);
    expect(transfer).toHaveLength(7);
    expect(transfer).not.toContain(inputs.x.buffer);
    // Transferring detaches the copies only; the caller's columns stay readable.
    structuredClone(message, { transfer });
    expect(message.x.length).toBe(0);
    expect([...inputs.x]).toEqual([0, 2, 1, 5]);
  });

  it('gives the worker the same inputs with blank customer IDs', () => {
    const back = fromWire(structuredClone(toWire(inputs).message));
    expect(back.customerId).toEqual(['', '', '', '']);
    const { customerId: _a, ...expected } = inputs;
    const { customerId: _b, ...actual } = back;
    expect(actual).toEqual(expected);
  });
});
