/**
 * Seeded, stratified splits: the same seed gives the same split on every machine.
 * The generator is mulberry32 (Tommy Ettinger's 32-bit mixer, public domain);
 * shuffles are Fisher–Yates (Knuth, TAOCP vol. 2, algorithm P).
 */

/** A generator of uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T extends { length: number; [i: number]: number }>(
  items: T,
  random: () => number,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/** Row indices by class, each shuffled. */
function byClass(rows: ArrayLike<number>, label: ArrayLike<number>, random: () => number) {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < rows.length; i++) (label[rows[i]] === 1 ? pos : neg).push(rows[i]);
  return [shuffle(pos, random), shuffle(neg, random)];
}

export interface Split {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Split `rows` into train / validation / test with the given shares, keeping the
 * churn rate of each part as close as possible to the whole (stratified).
 */
export function stratifiedSplit(
  rows: ArrayLike<number>,
  label: ArrayLike<number>,
  { validation = 0.2, test = 0.2, seed = 1 }: { validation?: number; test?: number; seed?: number },
): Split {
  if (!(validation > 0 && test > 0 && validation + test < 1)) {
    throw new RangeError('Validation and test shares must be positive and leave rows to train on.');
  }
  const random = mulberry32(seed);
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  for (const group of byClass(rows, label, random)) {
    const nTest = Math.round(group.length * test);
    const nVal = Math.round(group.length * validation);
    parts.test.push(...group.slice(0, nTest));
    parts.validation.push(...group.slice(nTest, nTest + nVal));
    parts.train.push(...group.slice(nTest + nVal));
  }
  return {
    train: shuffle(Int32Array.from(parts.train), random),
    validation: shuffle(Int32Array.from(parts.validation), random),
    test: shuffle(Int32Array.from(parts.test), random),
  };
}

/**
 * Stratified k-fold: each row is in exactly one fold's test part; each class is
 * dealt round-robin after a seeded shuffle, so fold churn rates differ by at most one row.
 */
export function stratifiedFolds(
  rows: ArrayLike<number>,
  label: ArrayLike<number>,
  k: number,
  seed = 1,
): { train: Int32Array; test: Int32Array }[] {
  if (!Number.isInteger(k) || k < 2)
    throw new RangeError('Cross-validation needs at least 2 folds.');
  if (rows.length < k) throw new RangeError(`${k} folds need at least ${k} labelled customers.`);
  const random = mulberry32(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const group of byClass(rows, label, random)) {
    for (const row of group) folds[next++ % k].push(row);
  }
  return folds.map((test, f) => ({
    test: Int32Array.from(test),
    train: shuffle(Int32Array.from(folds.flatMap((rows, g) => (g === f ? [] : rows))), random),
  }));
}
