/**
 * The CLV inputs as they travel to the fit worker: numbers as typed arrays (transferred),
 * the repeated source and cohort labels as codes into a short list, and no customer
 * IDs (the worker orders customers by input position, which is customer ID order).
 * Structured-cloning 100,000s of strings blocked the page for tenths of a second.
 */
import type { ClvInputs } from './clv.ts';

export interface Coded {
  codes: Int32Array;
  labels: string[];
}

export type ClvWireInputs = Omit<ClvInputs, 'customerId' | 'source' | 'cohort'> & {
  customers: number;
  source: Coded;
  cohort: Coded;
};

/** Codes and the distinct labels, in order of first appearance. */
export function encodeLabels(values: readonly string[]): Coded {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let code = index.get(values[i]);
    if (code === undefined) {
      code = labels.length;
      index.set(values[i], code);
      labels.push(values[i]);
    }
    codes[i] = code;
  }
  return { codes, labels };
}

export function decodeLabels({ codes, labels }: Coded): string[] {
  return Array.from(codes, (c) => labels[c]);
}

/** The message for the worker, and the buffers to transfer (copies: the caller keeps its columns). */
export function toWire(inputs: ClvInputs): { message: ClvWireInputs; transfer: ArrayBuffer[] } {
  const { customerId, source, cohort, ...rest } = inputs;
  const message: ClvWireInputs = {
    ...rest,
    customers: customerId.length,
    x: inputs.x.slice(),
    tx: inputs.tx.slice(),
    T: inputs.T.slice(),
    zbar: inputs.zbar.slice(),
    holdoutX: inputs.holdoutX.slice(),
    source: encodeLabels(source),
    cohort: encodeLabels(cohort),
  };
  const transfer = [
    message.x,
    message.tx,
    message.T,
    message.zbar,
    message.holdoutX,
    message.source.codes,
    message.cohort.codes,
  ].map((a) => a.buffer as ArrayBuffer);
  return { message, transfer };
}

/** The inputs again in the worker; customer IDs are left empty (the model does not read them). */
export function fromWire(wire: ClvWireInputs): ClvInputs {
  const { customers, source, cohort, ...rest } = wire;
  return {
    ...rest,
    customerId: new Array<string>(customers).fill(''),
    source: decodeLabels(source),
    cohort: decodeLabels(cohort),
  };
}
