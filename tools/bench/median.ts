/**
 * The median of benchmark figures: the middle value, or the mean of the two middle ones.
 *
 * @example
 * median([9.2, 8.8, 10.1]); // 9.2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
