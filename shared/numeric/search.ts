/** Binary searches in ascending typed arrays, over a[from, to) (the whole array by default). */

/** Index of the first element of a[from, to) with a[i] >= target (to if none). */
export function lowerBound(a: Float64Array, target: number, from = 0, to = a.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of a[from, to) with a[i] > target (to if none). */
export function upperBound(a: Float64Array, target: number, from = 0, to = a.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
