/** Ranking and correlation helpers shared by sensitivity analysis and the correlation tests. */

/** Below this size a comparison sort is quicker than the radix passes. */
const RADIX_THRESHOLD = 1 << 8;

/**
 * A series in ascending order: the values, and the index each one had. Walking `sorted` finds ties
 * without reaching back into the series at random places, which is most of the cost of ranking.
 */
export interface Ordering {
  order: Uint32Array;
  sorted: Float64Array;
}

/** The ascending order of `values` (stable; NaN-free input expected). */
export function ordering(values: ArrayLike<number>): Ordering {
  const { order, keys } = sortOrder(values);
  if (keys) return { order, sorted: keyValues(keys.hi, keys.lo) };
  const sorted = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) sorted[i] = values[order[i]];
  return { order, sorted };
}

/** Indices 0..n-1 ordered by ascending values (stable; NaN-free input expected). */
export function argsort(values: ArrayLike<number>): Uint32Array {
  return sortOrder(values).order;
}

/** The order, and for a radix sort its sorted keys, from which the sorted values come at little cost. */
function sortOrder(values: ArrayLike<number>): {
  order: Uint32Array;
  keys?: { hi: Uint32Array; lo: Uint32Array };
} {
  const n = values.length;
  const indices = n >= RADIX_THRESHOLD ? scratch(5, n) : new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  if (n < RADIX_THRESHOLD) return { order: indices.sort((a, b) => values[a] - values[b] || a - b) };
  const { hi, lo, payload } = radixSort(
    values instanceof Float64Array ? values : Float64Array.from(values),
    indices,
  );
  return { order: (payload as Uint32Array).slice(), keys: { hi, lo } };
}

/**
 * Reused working arrays: sensitivity sorts dozens of 100,000-sample columns in a row, and fresh arrays
 * for each would mostly feed the garbage collector. Views of grow-only buffers, one per role.
 */
const scratchBuffers: Uint32Array[] = [];
/** Larger sorts get arrays of their own, so a long-lived thread does not keep hundreds of MB after one. */
const MAX_SCRATCH = 1 << 20;

function scratch(role: number, n: number): Uint32Array {
  if (n > MAX_SCRATCH) return new Uint32Array(n);
  if (!(scratchBuffers[role]?.length >= n)) scratchBuffers[role] = new Uint32Array(Math.max(n, 1 << 16));
  return scratchBuffers[role].subarray(0, n);
}

/** An ascending copy of `values` (which must hold no NaN), by the same radix passes. */
export function radixSorted(values: Float64Array): Float64Array {
  const { hi, lo } = radixSort(values);
  return keyValues(hi, lo);
}

/** The doubles whose sort keys are hi:lo (the inverse of the mapping radixSort starts with). */
function keyValues(hi: Uint32Array, lo: Uint32Array): Float64Array {
  const out = new Float64Array(hi.length);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < out.length; i++) {
    const h = hi[i];
    const positive = h >>> 31 === 1;
    words[2 * i + 1] = positive ? h & 0x7fffffff : ~h >>> 0;
    words[2 * i] = positive ? lo[i] : ~lo[i] >>> 0;
  }
  return out;
}

const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT = BUCKETS - 1;
const PASSES = 6;

/** Digit `pass` (0 = lowest) of the 64-bit key hi:lo. */
function digit(hi: number, lo: number, pass: number): number {
  switch (pass) {
    case 0:
      return lo & DIGIT;
    case 1:
      return (lo >>> 11) & DIGIT;
    case 2:
      return ((lo >>> 22) | (hi << 10)) & DIGIT;
    case 3:
      return (hi >>> 1) & DIGIT;
    case 4:
      return (hi >>> 12) & DIGIT;
    default:
      return hi >>> 23;
  }
}

const histogram = new Uint32Array(PASSES * BUCKETS);

/**
 * Stable LSD radix sort on the doubles' bit patterns, mapped to unsigned keys that sort in numeric order
 * (negative: all bits flipped; positive: sign bit set). Six 11-bit passes, their counts all taken in the
 * pass that builds the keys: 2,048 buckets stay in the first-level cache where 65,536 do not, which makes
 * this quicker than four 16-bit passes. Ten million samples sort well under a second, where a comparator
 * sort takes tens of seconds and the built-in sort several times this. `payload` moves with the keys.
 */
function radixSort(
  values: Float64Array,
  payload?: Uint32Array,
): { hi: Uint32Array; lo: Uint32Array; payload?: Uint32Array } {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n); // little-endian: lo, hi
  let hi = scratch(0, n);
  let lo = scratch(1, n);
  const counts = histogram;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1];
    const negative = h >>> 31 === 1;
    const kh = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    const kl = negative ? ~words[2 * i] >>> 0 : words[2 * i];
    hi[i] = kh;
    lo[i] = kl;
    counts[kl & DIGIT]++;
    counts[BUCKETS + ((kl >>> 11) & DIGIT)]++;
    counts[2 * BUCKETS + (((kl >>> 22) | (kh << 10)) & DIGIT)]++;
    counts[3 * BUCKETS + ((kh >>> 1) & DIGIT)]++;
    counts[4 * BUCKETS + ((kh >>> 12) & DIGIT)]++;
    counts[5 * BUCKETS + (kh >>> 23)]++;
  }
  let hi2 = scratch(2, n);
  let lo2 = scratch(3, n);
  let carried: Uint32Array | undefined = payload;
  let carried2: Uint32Array | undefined = payload && scratch(4, n);
  for (let pass = 0; pass < PASSES && n > 0; pass++) {
    const base = pass * BUCKETS;
    // A digit all keys share moves nothing (the exponent bits of similar numbers, often).
    if (counts[base + digit(hi[0], lo[0], pass)] === n) continue;
    for (let d = 0, start = 0; d < BUCKETS; d++) {
      const count = counts[base + d];
      counts[base + d] = start;
      start += count;
    }
    for (let i = 0; i < n; i++) {
      const h = hi[i];
      const l = lo[i];
      const at = counts[base + digit(h, l, pass)]++;
      hi2[at] = h;
      lo2[at] = l;
      if (carried && carried2) carried2[at] = carried[i];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [carried, carried2] = [carried2, carried];
  }
  return { hi, lo, payload: carried };
}

/** Ranks 1..n, ties sharing their average rank (as Excel's RANK.AVG and Spearman's rho). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const { order, sorted } = ordering(values);
  const out = new Float64Array(order.length);
  for (let i = 0; i < order.length; ) {
    const j = tieEnd(sorted, i);
    const average = (i + 1 + j) / 2; // ranks i+1 .. j
    for (let k = i; k < j; k++) out[order[k]] = average;
    i = j;
  }
  return out;
}

/** The end (exclusive) of the run of equal values that starts at place i of `sorted`. */
function tieEnd(sorted: Float64Array, i: number): number {
  let j = i + 1;
  while (j < sorted.length && sorted[j] === sorted[i]) j++;
  return j;
}

/**
 * Another series' ranks over a subset of the trials, as Spearman needs them: per trial, its rank minus
 * the mean rank, and NaN for a trial outside the subset. Exact: ranks and their mean are half-integers.
 */
export interface CenteredRanks {
  byTrial: Float64Array;
  /** How many trials are in the subset. */
  count: number;
}

/** `ranks` (of the kept trials, in their order) spread back over all trials and centred. */
export function centeredRanks(ranks: Float64Array, kept: KeptTrials): CenteredRanks {
  const mean = (kept.count + 1) / 2;
  const byTrial = new Float64Array(kept.positions.length);
  kept.positions.forEach((at, t) => {
    byTrial[t] = at >= 0 ? ranks[at] - mean : Number.NaN;
  });
  return { byTrial, count: kept.count };
}

/**
 * Spearman's rho of a series (in its `Ordering`) with each of `others`, over the trials each one keeps:
 * the same numbers as Pearson of the two rank series, because with ranks every sum is exact
 * (half-integers, means (n+1)/2; exact while the sums stay below 2^53, up to about 300,000 trials, and
 * sensitivity ranks at most 100,000), and only the last division and root round. Zero where either
 * series is constant.
 */
export function spearmanWithEach(series: Ordering, others: readonly CenteredRanks[]): number[] {
  return others.map((other) => spearmanOne(series.order, series.sorted, other.byTrial, other.count));
}

/** A top-level function, not a closure: the loop then keeps the arrays in registers (3× quicker). */
function spearmanOne(order: Uint32Array, sorted: Float64Array, byTrial: Float64Array, count: number): number {
  const mean = (count + 1) / 2;
  const n = order.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  let placed = 0;
  for (let i = 0; i < n; ) {
    // Most values are unique: their rank is simply the next one.
    if (i + 1 === n || sorted[i + 1] !== sorted[i]) {
      const b = byTrial[order[i]];
      if (!Number.isNaN(b)) {
        const deviation = ++placed - mean;
        sab += deviation * b;
        saa += deviation * deviation;
        sbb += b * b;
      }
      i++;
      continue;
    }
    const j = tieEnd(sorted, i);
    let tied = 0;
    for (let k = i; k < j; k++) if (!Number.isNaN(byTrial[order[k]])) tied++;
    const deviation = placed + (tied + 1) / 2 - mean; // ranks placed+1 .. placed+tied
    for (let k = i; k < j; k++) {
      const b = byTrial[order[k]];
      if (Number.isNaN(b)) continue;
      sab += deviation * b;
      saa += deviation * deviation;
      sbb += b * b;
    }
    placed += tied;
    i = j;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** The trials whose outcome is 0: each one's place among them, else -1. */
export interface KeptTrials {
  positions: Int32Array;
  count: number;
}

export function keptTrials(outcomes: Uint8Array): KeptTrials {
  const positions = new Int32Array(outcomes.length);
  let count = 0;
  for (let i = 0; i < outcomes.length; i++) positions[i] = outcomes[i] === 0 ? count++ : -1;
  return { positions, count };
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
