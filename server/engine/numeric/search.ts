/** Binary searches in ascending typed arrays. */

/** Index of the first element of the ascending array a with a[i] >= target (a.length if none). */
export function lowerBound(a: Float64Array, target: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of the ascending array a with a[i] > target (a.length if none). */
export function upperBound(a: Float64Array, target: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
