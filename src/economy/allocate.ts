/**
 * Splits an amount of öre by weights so that the parts add up to exactly the amount (largest remainder method):
 * each part gets its floor, and the öre left over go one each to the parts with the largest remainders, ties to the
 * earlier part. Used for the law's contribution split, instalments and the evenly periodised budget.
 */
export function allocate(amountOre: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weights.some((weight) => weight < 0n)) throw new RangeError("weights must not be negative");
  if (total === 0n) {
    if (amountOre !== 0n) throw new RangeError("cannot split a non-zero amount by zero weights");
    return weights.map(() => 0n);
  }
  const negative = amountOre < 0n;
  const amount = negative ? -amountOre : amountOre;
  const parts = weights.map((weight) => (amount * weight) / total);
  const remainders = weights.map((weight, index) => ({ index, remainder: (amount * weight) % total }));
  let left = amount - parts.reduce((sum, part) => sum + part, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return negative ? parts.map((part) => -part) : parts;
}

/** The same split in whole kronor: amounts that are printed in kronor must add up in kronor too. */
export function allocateKronor(amountOre: bigint, weights: readonly bigint[]): bigint[] {
  const whole = amountOre - (amountOre % 100n);
  const parts = allocate(whole / 100n, weights).map((kronor) => kronor * 100n);
  const rest = amountOre - whole;
  if (rest !== 0n && parts.length > 0) parts[parts.length - 1] = (parts[parts.length - 1] ?? 0n) + rest;
  return parts;
}
