/**
 * The sensitivity analyses an @RISK analyst reads beside the rank correlations, all over the recorded
 * trials (the first trials of the run, whose input samples the engine keeps):
 *
 * - standardised regression coefficients (SRC): a multiple linear regression of the output on every
 *   input, both standardised;
 * - contribution to variance: each input's first-order effect Var(E[Y | U_k]) / Var(Y), U_k being the
 *   percentile that drove the input's draw (independent of the other inputs even when the input's
 *   parameters are computed from them), estimated from equal-count bins of U_k, as shares of their sum;
 * - change in output mean: the output's mean within each decile of the input (the tornado's and the
 *   spider plot's data);
 * - scenarios: the inputs whose median, among the trials in a tail of the output, lies more than half a
 *   standard deviation from their median over all trials (@RISK's rule);
 * - scatter: an evenly spaced subsample of (input, output) pairs.
 *
 * Each input is sorted once, and every output is then read in one walk along that order.
 */
import { argsort, type Ordering } from './ranks';

/** An output over the recorded trials. */
export interface RecordedY {
  /** Its value in each recorded trial (meaningless where `kept` is 0). */
  values: Float64Array;
  /** 1 where the trial's value was a number. */
  kept: Uint8Array;
  /** How many trials are kept. */
  count: number;
  /** Per trial, its value less the mean, NaN where not kept: one array for the walks to read. */
  deviations: Float64Array;
  mean: number;
  /** Sum of squared deviations from the mean over the kept trials. */
  squares: number;
  /** Per trial, a bit per tail of `TAILS` the trial is in. */
  tails: Uint8Array;
  /** How many trials each tail holds. */
  tailSizes: number[];
}

/** The output's tails a scenario analysis reads: its lowest and highest 10 % and 25 % of trials. */
export const TAILS: readonly { tail: 'low' | 'high'; percent: number }[] = [
  { tail: 'low', percent: 10 },
  { tail: 'high', percent: 10 },
  { tail: 'low', percent: 25 },
  { tail: 'high', percent: 25 },
];

/** An input's median moved by more than this many of its standard deviations is significant (@RISK). */
export const SCENARIO_THRESHOLD = 0.5;

/** Change in output mean: this many equal-count groups of the input (deciles). */
export const CHANGE_IN_MEAN_GROUPS = 10;

/** Fewer numeric trials than this give no deciles, no contribution and no scenarios. */
export const MIN_ANALYSED_TRIALS = 20;

/**
 * The analyses read each input against each output along the input's order: with many of both, they
 * read fewer of the recorded trials (as the engine records fewer with many inputs), at most this many
 * input-output trial pairs in all (about a third of a second of the statistics stage), but never fewer than
 * MIN_ANALYSIS_TRIALS trials.
 */
export const ANALYSIS_BUDGET = 2_000_000;
export const MIN_ANALYSIS_TRIALS = 20_000;

/** How many of the recorded trials (the first ones) the analyses read. */
export function analysedTrials(recorded: number, inputs: number, outputs: number): number {
  return Math.min(
    recorded,
    Math.max(MIN_ANALYSIS_TRIALS, Math.floor(ANALYSIS_BUDGET / Math.max(1, inputs * outputs))),
  );
}

/** The output over the first `recorded` trials, with its tails marked. */
export function recordedY(values: Float64Array, outcomes: Uint8Array, recorded: number): RecordedY {
  const y = values.subarray(0, recorded);
  const kept = new Uint8Array(recorded);
  const trials: number[] = [];
  let sum = 0;
  for (let t = 0; t < recorded; t++)
    if (outcomes[t] === 0) {
      kept[t] = 1;
      trials.push(t);
      sum += y[t];
    }
  const count = trials.length;
  const mean = count > 0 ? sum / count : 0;
  let squares = 0;
  const deviations = new Float64Array(recorded).fill(Number.NaN);
  for (const t of trials) {
    deviations[t] = y[t] - mean;
    squares += deviations[t] ** 2;
  }
  const tails = new Uint8Array(recorded);
  const order = argsort(trials.map((t) => y[t]));
  const tailSizes = TAILS.map(({ tail, percent }, bit) => {
    const size = count >= MIN_ANALYSED_TRIALS ? Math.max(1, Math.round((count * percent) / 100)) : 0;
    for (let i = 0; i < size; i++) tails[trials[order[tail === 'low' ? i : count - 1 - i]]] |= 1 << bit;
    return size;
  });
  return { values: y, kept, count, deviations, mean, squares, tails, tailSizes };
}

/** What one walk along an input's order finds for one output. */
export interface InputAgainstOutput {
  /** The output's mean in each decile of the input; empty with too few trials. */
  decileMeans: number[];
  /** The input's median over the output's numeric trials, and within each of its tails (`TAILS`). */
  median: number;
  tailMedians: number[];
  /** The input's sample standard deviation over the output's numeric trials. */
  std: number;
  /** Var(E[Y | bin of the input's percentile]) / Var(Y), bias-corrected, ≥ 0. */
  firstOrder: number;
}

/**
 * One input against every output. `byValue` orders the recorded trials by the input's value;
 * `byPercentile` by the percentile that drove its draw, when that differs in order from the value
 * (an input whose parameters change from trial to trial), else the value's order serves.
 */
export function analyseInput(
  byValue: Ordering,
  byPercentile: Ordering | undefined,
  outputs: readonly RecordedY[],
): InputAgainstOutput[] {
  return outputs.map((y) => {
    if (y.count < MIN_ANALYSED_TRIALS)
      return { decileMeans: [], median: 0, tailMedians: [], std: 0, firstOrder: 0 };
    const walked = walkByValue(byValue, y, byPercentile === undefined);
    return byPercentile ? { ...walked, firstOrder: firstOrderEffect(byPercentile, y) } : walked;
  });
}

/** One walk along the input's values: deciles, medians, moments, and the first-order bins when asked. */
function walkByValue({ order, sorted }: Ordering, y: RecordedY, binned: boolean): InputAgainstOutput {
  const m = y.count;
  const deciles = new EqualCountBins(CHANGE_IN_MEAN_GROUPS, m);
  const bins = new EqualCountBins(binned ? firstOrderBins(m) : 1, m);
  const { deviations, tails } = y;
  // Moments about the input's middle value: no cancellation to fear.
  const origin = sorted[sorted.length >> 1];
  let sum = 0;
  let squares = 0;
  let placed = 0;
  // Each tail's members in the input's order, for their medians.
  const members = y.tailSizes.map((size) => new Float64Array(size));
  const filled = new Int32Array(TAILS.length);
  for (let i = 0; i < order.length; i++) {
    const t = order[i];
    const dy = deviations[t];
    if (Number.isNaN(dy)) continue;
    const x = sorted[i];
    deciles.add(Number.NaN, dy);
    if (binned) bins.add(x, dy);
    const d = x - origin;
    sum += d;
    squares += d * d;
    const bits = tails[t];
    if (bits !== 0)
      for (let b = 0; b < TAILS.length; b++) if ((bits & (1 << b)) !== 0) members[b][filled[b]++] = x;
    placed++;
  }
  const middle = (a: ArrayLike<number>, n: number) =>
    n === 0 ? Number.NaN : (a[(n - 1) >> 1] + a[n >> 1]) / 2;
  return {
    decileMeans: deciles.means(y.mean),
    median: medianOfKept(order, sorted, deviations, m, middle),
    tailMedians: members.map((a) => middle(a, a.length)),
    std: Math.sqrt(Math.max(0, (squares - (sum * sum) / placed) / (placed - 1))),
    firstOrder: binned ? bins.effect(y) : 0,
  };
}

/** The median of the input over the kept trials: its values at the middle places of its kept order. */
function medianOfKept(
  order: Uint32Array,
  sorted: Float64Array,
  deviations: Float64Array,
  m: number,
  middle: (a: ArrayLike<number>, n: number) => number,
): number {
  if (m === order.length) return middle(sorted, m);
  const kept = new Float64Array(m);
  let placed = 0;
  for (let i = 0; i < order.length; i++) if (!Number.isNaN(deviations[order[i]])) kept[placed++] = sorted[i];
  return middle(kept, m);
}

/** Bins for the first-order effect: about 50 trials each at least, at most 50 bins. */
export function firstOrderBins(trials: number): number {
  return Math.min(50, Math.max(2, Math.floor(trials / 50)));
}

/**
 * The output's deviations from its mean summed in `count` equal-count groups of trials taken in order:
 * trial number `placed` goes to group ⌊placed·count/m⌋, except that a trial whose key equals the last
 * one's stays in its group (ties are never split; NaN keys never tie).
 */
class EqualCountBins {
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  private readonly starts: Float64Array;
  placed = 0;
  private bin = 0;
  private previous = Number.NaN;

  constructor(count: number, m: number) {
    this.sums = new Float64Array(count);
    this.counts = new Float64Array(count);
    this.starts = Float64Array.from({ length: count + 1 }, (_, b) =>
      b === count ? Infinity : Math.ceil((b * m) / count),
    );
  }

  add(key: number, dy: number): void {
    if (key !== this.previous) while (this.placed >= this.starts[this.bin + 1]) this.bin++;
    this.previous = key;
    this.sums[this.bin] += dy;
    this.counts[this.bin]++;
    this.placed++;
  }

  means(mean: number): number[] {
    return [...this.sums].map((s, b) => mean + s / this.counts[b]);
  }

  /**
   * Var(E[Y | bin]) / Var(Y). The between-bin sum of squares counts noise too: with G bins, (G − 1)·MSW
   * on average even when Y does not depend on the key at all; the one-way ANOVA estimate of the
   * between-bin variance component takes that away, so that an input without effect gets about 0, not G/n.
   */
  effect(y: RecordedY): number {
    const m = this.placed;
    if (!(y.squares > 0)) return 0;
    let between = 0;
    let groups = 0;
    for (let b = 0; b < this.sums.length; b++)
      if (this.counts[b] > 0) {
        between += (this.sums[b] * this.sums[b]) / this.counts[b];
        groups++;
      }
    if (groups < 2 || m <= groups) return 0;
    const withinMeanSquare = (y.squares - between) / (m - groups);
    return Math.max(0, Math.min(1, (between - (groups - 1) * withinMeanSquare) / y.squares));
  }
}

/** Var(E[Y | X]) / Var(Y) for X in equal-count bins of its order (ties kept in one bin), bias-corrected. */
export function firstOrderEffect({ order, sorted }: Ordering, y: RecordedY): number {
  const m = y.count;
  if (m < MIN_ANALYSED_TRIALS) return 0;
  const bins = new EqualCountBins(firstOrderBins(m), m);
  const { deviations } = y;
  for (let i = 0; i < order.length; i++) {
    const dy = deviations[order[i]];
    if (!Number.isNaN(dy)) bins.add(sorted[i], dy);
  }
  return bins.effect(y);
}

/** Shares of the first-order effects (each ≥ 0, summing to 1; all 0 when none has an effect). */
export function contributionShares(effects: readonly number[]): number[] {
  const total = effects.reduce((sum, e) => sum + e, 0);
  return effects.map((e) => (total > 0 ? e / total : 0));
}

/** Regression is offered for at most this many inputs (its cost grows with their square). */
export const MAX_REGRESSION_INPUTS = 100;

/** Below this |pivot| of the inputs' correlation matrix an input adds nothing new: its coefficient is 0. */
const COLLINEAR = 1e-9;

/**
 * Standardised regression coefficients of y on the inputs over y's numeric trials: the solution of
 * R·β = r, R the inputs' correlation matrix and r their correlations with y, by a Cholesky factorisation
 * that leaves out (coefficient 0) an input constant over the trials or a linear combination of the
 * inputs before it. Undefined with no more trials than inputs + 1. `products` may be given when the
 * inputs' cross products over y's trials are known already (they depend only on which trials are kept).
 */
export function standardizedRegression(
  inputs: readonly Float64Array[],
  y: RecordedY,
  products: InputCrossProducts = inputCrossProducts(inputs, y.kept, y.count),
): number[] | undefined {
  const p = inputs.length;
  if (y.count <= p + 1) return undefined;
  const { cross, means } = products;
  const withY = productsWithY(inputs, means, y);
  const scale = cross.map((row, a) => Math.sqrt(row[a]));
  const sdY = Math.sqrt(y.squares);
  if (!(sdY > 0)) return inputs.map(() => 0);
  const left = new Set<number>();
  // Cholesky of the correlation matrix: column k is left out (all 0) when its pivot is not positive.
  const lower = Array.from({ length: p }, () => new Float64Array(p));
  for (let k = 0; k < p; k++) {
    let pivot = 1;
    for (let j = 0; j < k; j++) pivot -= lower[k][j] * lower[k][j];
    if (!(scale[k] > 0) || !(pivot > COLLINEAR)) {
      left.add(k);
      continue;
    }
    const diagonal = Math.sqrt(pivot);
    lower[k][k] = diagonal;
    for (let i = k + 1; i < p; i++) {
      if (!(scale[i] > 0)) continue;
      let s = cross[i][k] / (scale[i] * scale[k]);
      for (let j = 0; j < k; j++) s -= lower[i][j] * lower[k][j];
      lower[i][k] = s / diagonal;
    }
  }
  const z = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    if (left.has(k)) continue;
    let s = withY[k] / (scale[k] * sdY);
    for (let j = 0; j < k; j++) s -= lower[k][j] * z[j];
    z[k] = s / lower[k][k];
  }
  const beta = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    if (left.has(k)) continue;
    let s = z[k];
    for (let i = k + 1; i < p; i++) s -= lower[i][k] * beta[i];
    beta[k] = s / lower[k][k];
  }
  return [...beta].map((b) => (Number.isFinite(b) ? b : 0));
}

/** The inputs' means and centred cross products (a full symmetric matrix) over the kept trials. */
export interface InputCrossProducts {
  means: number[];
  cross: number[][];
}

export function inputCrossProducts(
  inputs: readonly Float64Array[],
  kept: Uint8Array,
  count: number,
): InputCrossProducts {
  const p = inputs.length;
  const means = inputs.map((x) => {
    let sum = 0;
    for (let t = 0; t < kept.length; t++) if (kept[t]) sum += x[t];
    return sum / count;
  });
  const cross = new Float64Array(p * p);
  const row = new Float64Array(p);
  for (let t = 0; t < kept.length; t++) {
    if (kept[t] === 0) continue;
    for (let a = 0; a < p; a++) row[a] = inputs[a][t] - means[a];
    for (let a = 0; a < p; a++) {
      const ra = row[a];
      for (let b = 0, at = a * p; b <= a; b++) cross[at + b] += ra * row[b];
    }
  }
  return {
    means,
    cross: Array.from({ length: p }, (_, a) =>
      Array.from({ length: p }, (_, b) => (b <= a ? cross[a * p + b] : cross[b * p + a])),
    ),
  };
}

function productsWithY(inputs: readonly Float64Array[], means: readonly number[], y: RecordedY): number[] {
  return inputs.map((x, a) => {
    let sum = 0;
    for (let t = 0; t < y.kept.length; t++) if (y.kept[t]) sum += (x[t] - means[a]) * (y.values[t] - y.mean);
    return sum;
  });
}

/**
 * An evenly spaced subsample of at most `points` of y's numeric trials (the same trials for every
 * input, so that the output's values serve them all): trial indices in increasing order.
 */
export function scatterTrials(y: RecordedY, points: number): number[] {
  const trials: number[] = [];
  for (let t = 0; t < y.kept.length; t++) if (y.kept[t]) trials.push(t);
  const shown = Math.min(points, trials.length);
  return Array.from({ length: shown }, (_, i) => trials[Math.floor((i * trials.length) / shown)]);
}
