/**
 * Latin hypercube sampling computed independently per trial.
 *
 * Trial t of a run of N trials falls in stratum perm(t) of [0, N), where perm is a keyed
 * pseudo-random permutation (a Feistel network over the next even power of two >= N,
 * restricted to [0, N) by cycle walking), keyed by (seed, stream). Its position inside the
 * stratum is uniform(seed, stream, t). Every input is therefore stratified over the whole run
 * however the trials are chunked, and each value needs only O(1) 32-bit integer work:
 *
 *   [k0, k1, k2, k3] = philox4x32([0xffffffff, 0xffffffff, stream, LHS_KEY_DRAW], seedKey)
 *   F_i(r) = mix32((r ^ k[i mod 4]) + i * 0x9e3779b9) & halfMask,  i = 0..7
 *   (L, R) -> (R, L ^ F_i(R)) on the two halves of the index
 *   u = (perm(t) + uniform(seed, stream, t)) / N
 *
 * The key block's counter has trial words 2^32-1, a trial index no run reaches (trials < 2^53
 * and LHS runs are limited to 2^32 trials), so it never collides with a sampling block.
 */

import { clz32, floor, imul } from '../../../shared/numeric/math';
import { fillUniform, philoxBlock, uniform } from './philox';

/** Draw index of the key block (the position inside a stratum uses draw 0, like plain MC). */
export const LHS_KEY_DRAW = 0xffffffff;
export const MAX_LHS_TRIALS = 2 ** 32;

const FEISTEL_ROUNDS = 8;
const GOLDEN = 0x9e3779b9;
const LARGEST_BELOW_ONE = 1 - 2 ** -53;

/** Chris Wellons' lowbias32 integer hash: a cheap, well-mixing bijection on uint32. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The permutation key of one input: four round-key words, cached for the last (seed, stream). */
class PermutationKey {
  seed = Number.NaN;
  stream = Number.NaN;
  words = new Uint32Array(4);

  load(seed: number, stream: number): Uint32Array {
    if (seed !== this.seed || stream !== this.stream) {
      const k0 = (seed % 2 ** 32) >>> 0;
      const k1 = floor(seed / 2 ** 32) & 0x1fffff;
      philoxBlock(0xffffffff, 0xffffffff, stream >>> 0, LHS_KEY_DRAW, k0, k1, this.words);
      this.seed = seed;
      this.stream = stream;
    }
    return this.words;
  }
}

const cachedKey = new PermutationKey();

/** Half-width in bits of the Feistel domain for n items: 2^(2*half) >= n, so at most 4n values are walked. */
function halfBits(n: number): number {
  if (n <= 1) return 0;
  const bits = 32 - clz32(n - 1); // ceil(log2 n)
  return (bits + 1) >>> 1;
}

function feistel(x: number, half: number, key: Uint32Array): number {
  const mask = (1 << half) - 1;
  let left = x >>> half;
  let right = x & mask;
  for (let i = 0; i < FEISTEL_ROUNDS; i++) {
    const f = mix32(((right ^ key[i & 3]) + imul(i, GOLDEN)) >>> 0) & mask;
    const next = left ^ f;
    left = right;
    right = next;
  }
  return (left * (mask + 1) + right) >>> 0;
}

/** The stratum of trial in [0, n): a bijection of [0, n) keyed by key. */
export function permuteIndex(trial: number, n: number, key: Uint32Array): number {
  return permuteWithin(trial, n, halfBits(n), key);
}

function permuteWithin(trial: number, n: number, half: number, key: Uint32Array): number {
  if (half === 0) return 0;
  let y = feistel(trial, half, key);
  while (y >= n) y = feistel(y, half, key); // cycle walking stays inside trial's cycle
  return y;
}

function checkedTotal(totalTrials: number): void {
  if (!(totalTrials <= MAX_LHS_TRIALS))
    throw new RangeError(`Latin hypercube runs are limited to 2^32 trials`);
}

/** The position `inStratum` in [0, 1) of stratum `stratum` of n, as a uniform strictly below 1. */
function stratified(stratum: number, inStratum: number, n: number): number {
  const v = (stratum + inStratum) / n;
  return v < 1 ? v : LARGEST_BELOW_ONE;
}

/**
 * Latin hypercube uniform in (0,1) for one trial of a run of totalTrials (<= 2^32) trials.
 * Over trials 0..totalTrials-1 of one (seed, stream), each interval [k/N, (k+1)/N) receives
 * exactly one value.
 */
export function lhsUniform(seed: number, stream: number, trial: number, totalTrials: number): number {
  checkedTotal(totalTrials);
  const stratum = permuteIndex(trial, totalTrials, cachedKey.load(seed, stream));
  return stratified(stratum, uniform(seed, stream, trial), totalTrials);
}

/**
 * Batch form of lhsUniform for trials [start, end), written to out[offset + t - start], bit for bit the
 * same: the positions inside the strata come from the bulk Philox filler, the strata from the keyed
 * permutation, whose key and width are worked out once for the whole range.
 */
export function fillLhsUniform(
  out: Float64Array,
  seed: number,
  stream: number,
  start: number,
  end: number,
  totalTrials: number,
  offset = 0,
): void {
  checkedTotal(totalTrials);
  fillUniform(out, seed, stream, start, end, 0, offset);
  const key = cachedKey.load(seed, stream);
  const half = halfBits(totalTrials);
  for (let t = start; t < end; t++) {
    const i = offset + t - start;
    out[i] = stratified(permuteWithin(t, totalTrials, half, key), out[i], totalTrials);
  }
}
