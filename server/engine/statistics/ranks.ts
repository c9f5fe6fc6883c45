/** Ranking and correlation helpers shared by sensitivity analysis and the correlation tests. */

/** Indices 0..n-1 ordered by ascending values (stable; NaN-free input expected). */
export function argsort(values: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[a] - values[b] || a - b);
}

/** Ranks 1..n, ties sharing their average rank (as Excel's RANK.AVG and Spearman's rho). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const order = argsort(values);
  const out = new Float64Array(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i + 1;
    while (j < order.length && values[order[j]] === values[order[i]]) j++;
    const average = (i + 1 + j) / 2; // ranks i+1..j
    for (let k = i; k < j; k++) out[order[k]] = average;
    i = j;
  }
  return out;
}

/** Pearson correlation of two equally long series; 0 when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i];
    meanB += b[i];
  }
  meanA /= n;
  meanB /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - meanA;
    const db = b[i] - meanB;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Spearman rank correlation: the Pearson correlation of the average ranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(ranks(a), ranks(b));
}
