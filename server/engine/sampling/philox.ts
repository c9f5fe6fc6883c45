/**
 * Philox4x32-10 counter-based generator (Salmon, Moraes, Dror & Shaw, SC'11; Random123).
 *
 * Every random number is a pure function of (seed, stream, trial, draw), so results do not
 * depend on how trials are split across threads, chunks or machines, and a CUDA kernel can
 * reproduce them bit for bit with plain 32-bit integer arithmetic:
 *
 *   key     = [seed mod 2^32, floor(seed / 2^32) mod 2^21]
 *   counter = [trial mod 2^32, floor(trial / 2^32), stream, draw]
 *   [r0, r1, r2, r3] = philox4x32_10(counter, key)
 *   k = (r0 >>> 11) * 2^32 + r1               (53 random bits)
 *   u = k == 0 ? 2^-54 : k * 2^-53            (strictly inside (0, 1))
 */

import { floor, imul } from '../../../shared/numeric/math';
import { createPhiloxFiller, type PhiloxFiller } from './philox-wasm';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;

const TWO_16 = 65536;
const TWO_32 = 4294967296;
const TWO_NEG_53 = 2 ** -53;
const TWO_NEG_54 = 2 ** -54;

// The multipliers split in 16-bit halves, so that the 32x32 products below stay exact in doubles.
const M0_HI = floor(M0 / TWO_16);
const M0_LO = M0 % TWO_16;
const M1_HI = floor(M1 / TWO_16);
const M1_LO = M1 % TWO_16;

/**
 * High 32 bits of the 64-bit product m * c (m = mHi * 2^16 + mLo, c an uint32), exactly,
 * by schoolbook multiplication on 16-bit halves: every partial sum stays below 2^34.
 */
function mulHigh(mHi: number, mLo: number, c: number): number {
  const cHi = c >>> 16;
  const cLo = c & 0xffff;
  const carry = ((mLo * cLo) >>> 16) + mHi * cLo + mLo * cHi;
  return (mHi * cHi + ((carry / TWO_16) | 0)) >>> 0;
}

/**
 * Ten Philox rounds on counter (c0..c3) with key (k0, k1), all uint32; writes the four output
 * words to out. The allocation-free form of philox4x32.
 */
export function philoxBlock(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulHigh(M0_HI, M0_LO, c0);
    const lo0 = imul(M0, c0) >>> 0;
    const hi1 = mulHigh(M1_HI, M1_LO, c2);
    const lo1 = imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** Philox4x32-10 of one counter block under one key; all words are uint32. */
export function philox4x32(
  counter: readonly [number, number, number, number],
  key: readonly [number, number],
): [number, number, number, number] {
  const out = new Uint32Array(4);
  philoxBlock(
    counter[0] >>> 0,
    counter[1] >>> 0,
    counter[2] >>> 0,
    counter[3] >>> 0,
    key[0] >>> 0,
    key[1] >>> 0,
    out,
  );
  return [out[0], out[1], out[2], out[3]];
}

/** Largest seed / trial index accepted (2^53 - 1); seeds are reduced to 53 bits. */
export const MAX_INDEX = Number.MAX_SAFE_INTEGER;

const scratch = new Uint32Array(4);

function keyLow(seed: number): number {
  return (seed % TWO_32) >>> 0;
}

function keyHigh(seed: number): number {
  return floor(seed / TWO_32) & 0x1fffff;
}

/** The block's first two words as a double strictly inside (0,1), from 53 bits. */
function toUnit(r0: number, r1: number): number {
  const k = (r0 >>> 11) * TWO_32 + r1;
  return k === 0 ? TWO_NEG_54 : k * TWO_NEG_53;
}

/**
 * Uniform deviate in (0,1) for one (seed, stream, trial, draw). seed and trial are
 * non-negative integers below 2^53; stream and draw are uint32. Does not allocate.
 */
export function uniform(seed: number, stream: number, trial: number, draw = 0): number {
  philoxBlock(
    (trial % TWO_32) >>> 0,
    floor(trial / TWO_32) >>> 0,
    stream >>> 0,
    draw >>> 0,
    keyLow(seed),
    keyHigh(seed),
    scratch,
  );
  return toUnit(scratch[0], scratch[1]);
}

let filler: PhiloxFiller | undefined;

/**
 * Fills out[offset + (t - start)] with uniform(seed, stream, t, draw) for t in [start, end): the CPU
 * kernel's batch form, bit-identical to the scalar one (the WebAssembly filler, philox-wasm.ts).
 */
export function fillUniform(
  out: Float64Array,
  seed: number,
  stream: number,
  start: number,
  end: number,
  draw = 0,
  offset = 0,
): void {
  filler ??= createPhiloxFiller();
  filler.fill(out, keyLow(seed), keyHigh(seed), stream >>> 0, draw >>> 0, start, end, offset);
}
