import { makeData, makeVector, Utf8, type Vector } from 'apache-arrow';

/**
 * Arrow columns built straight from their buffers. Arrow's own builders
 * (`vectorFromArray`, `makeBuilder`) compile a null-check with `Function(...)`,
 * which the app's Content-Security-Policy forbids on the page (no `'unsafe-eval'`),
 * so code that runs on the main thread builds its columns here instead.
 */

/** A UTF-8 text column; `null` entries are nulls. */
export function utf8Vector(values: readonly (string | null)[]): Vector<Utf8> {
  const n = values.length;
  const encoder = new TextEncoder();
  const encoded: Uint8Array[] = new Array(n);
  const offsets = new Int32Array(n + 1);
  let nulls = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      nulls++;
      encoded[i] = new Uint8Array(0);
    } else {
      encoded[i] = encoder.encode(v);
    }
    bytes += encoded[i].length;
    offsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let i = 0; i < n; i++) data.set(encoded[i], offsets[i]);
  let nullBitmap: Uint8Array | undefined;
  if (nulls > 0) {
    nullBitmap = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) if (values[i] !== null) nullBitmap[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(
    makeData({
      type: new Utf8(),
      length: n,
      nullCount: nulls,
      valueOffsets: offsets,
      data,
      nullBitmap,
    }),
  );
}

/** A numeric column over a typed array (no copy, no nulls). */
export function numberVector<T extends Float64Array | Int32Array>(values: T) {
  return makeVector(values);
}
