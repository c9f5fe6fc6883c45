/**
 * x^y as Excel's ^ operator and POWER give it. Whole exponents are the common case in models (growth
 * and discount factors, (1+r)^n), and there JavaScript's ** is off by one unit in the last place in about
 * one case in ten (V8 does not round powers correctly), while Excel's result is the correctly rounded
 * one. For whole exponents 3 to 64 the power is computed by repeated squaring in double-double arithmetic
 * (a product's rounding error kept exactly, Dekker's algorithm), which rounds correctly and is also about
 * twice as fast as **; everything else goes to **.
 */

/** 2^27 + 1: splits a double into two halves whose products are exact (Veltkamp). */
const SPLIT = 134217729;

export function numericPower(x: number, y: number): number {
  if (y >= 3 && y <= 64 && Math.floor(y) === y) {
    const r = wholePower(x, y);
    if (r !== undefined) return r;
  }
  return x ** y;
}

/**
 * x^n for whole n ≥ 1 by squaring, each product as hi + lo exactly; undefined near overflow or
 * underflow (where the halves lose their meaning), for ** to decide.
 */
function wholePower(x: number, n: number): number | undefined {
  let rh = 1;
  let rl = 0;
  let bh = x;
  let bl = 0;
  for (let m = n; ; ) {
    if (m & 1) {
      const p = rh * bh;
      let c = SPLIT * rh;
      const ah = c - (c - rh);
      const al = rh - ah;
      c = SPLIT * bh;
      const bhh = c - (c - bh);
      const bhl = bh - bhh;
      const e = ah * bhh - p + ah * bhl + al * bhh + al * bhl + (rh * bl + rl * bh);
      rh = p + e;
      rl = e - (rh - p);
    }
    m >>>= 1;
    if (m === 0) break;
    const p = bh * bh;
    const c = SPLIT * bh;
    const hh = c - (c - bh);
    const hl = bh - hh;
    const e = hh * hh - p + hh * hl + hl * hh + hl * hl + 2 * bh * bl;
    bh = p + e;
    bl = e - (bh - p);
  }
  const r = rh + rl;
  const size = Math.abs(r);
  return size > 1e-290 && size < 1e300 ? r : undefined;
}
