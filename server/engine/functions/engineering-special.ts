/**
 * Special functions: the error function, and Bessel functions of integer order. Excel's Bessel values carry
 * the errors of the classic rational/polynomial approximations (Numerical Recipes, Abramowitz & Stegun 9.4
 * and 9.8): BESSELJ(0, 0) is 1.00000000283141. The same approximations are used here for orders 0 and 1,
 * with the same recurrences for higher orders, so that results match Excel's digits rather than the truth.
 */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) for |x| < 3 by the all-positive series e^{-x²}·Σ 2ⁿx^{2n+1}/(2n+1)!!, erfc beyond by continued fraction. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x >= 3) return 1 - erfcLarge(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

export function erfc(x: number): number {
  if (x < 3) return 1 - erf(x);
  return erfcLarge(x);
}

/** erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up. */
function erfcLarge(x: number): number {
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** (1/π)∫₀^π g(τ)dτ for a smooth even 2π-periodic integrand, by the (exponentially convergent) trapezoid rule. */
function periodicMean(g: (t: number) => number, points: number): number {
  let sum = (g(0) + g(Math.PI)) / 2;
  for (let k = 1; k < points; k++) sum += g((Math.PI * k) / points);
  return sum / points;
}

/** Exact J_n, which is what Miller's downward recurrence converges to. */
function exactJ(x: number, n: number): number {
  return periodicMean((t) => Math.cos(n * t - x * Math.sin(t)), Math.ceil(Math.abs(x) + n) + 40);
}

/** Exact I_n ratio to I_0 (what Miller's recurrence gives before scaling by the approximate I_0). */
function exactIRatio(x: number, n: number): number {
  const points = Math.ceil(Math.abs(x) + n) + 40;
  // Scaled by e^{-|x|} so that large arguments do not overflow before the ratio is taken.
  const scaled = (order: number) =>
    periodicMean((t) => Math.exp(x * Math.cos(t) - Math.abs(x)) * Math.cos(order * t), points);
  return scaled(n) / scaled(0);
}

const TWO_OVER_PI = 0.636619772;

function asymptoticJY(x: number, phase: number, p: number[], q: number[], bessel: 'j' | 'y'): number {
  const z = 8 / x;
  const y = z * z;
  const xx = x - phase;
  const a1 = horner(p, y);
  const a2 = horner(q, y);
  const root = Math.sqrt(TWO_OVER_PI / x);
  return bessel === 'j'
    ? root * (Math.cos(xx) * a1 - z * Math.sin(xx) * a2)
    : root * (Math.sin(xx) * a1 + z * Math.cos(xx) * a2);
}

function horner(coefficients: number[], y: number): number {
  let acc = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) acc = acc * y + coefficients[i];
  return acc;
}

const P0 = [1, -0.1098628627e-2, 0.2734510407e-4, -0.2073370639e-5, 0.2093887211e-6];
const Q0 = [-0.1562499995e-1, 0.1430488765e-3, -0.6911147651e-5, 0.7621095161e-6, -0.934935152e-7];
const P1 = [1, 0.183105e-2, -0.3516396496e-4, 0.2457520174e-5, -0.240337019e-6];
const Q1 = [0.04687499995, -0.2002690873e-3, 0.8449199096e-5, -0.88228987e-6, 0.105787412e-6];

function j0(x: number): number {
  const ax = Math.abs(x);
  if (ax < 8) {
    const y = x * x;
    return (
      horner([57568490574.0, -13362590354.0, 651619640.7, -11214424.18, 77392.33017, -184.9052456], y) /
      horner([57568490411.0, 1029532985.0, 9494680.718, 59272.64853, 267.8532712, 1.0], y)
    );
  }
  return asymptoticJY(ax, 0.785398164, P0, Q0, 'j');
}

function j1(x: number): number {
  const ax = Math.abs(x);
  let ans: number;
  if (ax < 8) {
    const y = x * x;
    ans =
      (ax * horner([72362614232.0, -7895059235.0, 242396853.1, -2972611.439, 15704.4826, -30.16036606], y)) /
      horner([144725228442.0, 2300535178.0, 18583304.74, 99447.43394, 376.9991397, 1.0], y);
  } else ans = asymptoticJY(ax, 2.356194491, P1, Q1, 'j');
  return x < 0 ? -ans : ans;
}

export function besselJ(x: number, n: number): number {
  if (n === 0) return j0(x);
  if (n === 1) return j1(x);
  const ax = Math.abs(x);
  if (ax === 0) return 0;
  let ans: number;
  if (ax > n) {
    // Upward recurrence from the approximate J0 and J1, as Excel does.
    let previous = j0(ax);
    let current = j1(ax);
    for (let k = 1; k < n; k++) {
      const next = ((2 * k) / ax) * current - previous;
      previous = current;
      current = next;
    }
    ans = current;
  } else ans = exactJ(ax, n);
  return x < 0 && n % 2 === 1 ? -ans : ans;
}

function y0(x: number): number {
  if (x < 8) {
    const y = x * x;
    const ratio =
      horner([-2957821389.0, 7062834065.0, -512359803.6, 10879881.29, -86327.92757, 228.4622733], y) /
      horner([40076544269.0, 745249964.8, 7189466.438, 47447.2647, 226.1030244, 1.0], y);
    return ratio + TWO_OVER_PI * j0(x) * Math.log(x);
  }
  return asymptoticJY(x, 0.785398164, P0, [...Q0.slice(0, 4), -0.934945152e-7], 'y');
}

function y1(x: number): number {
  if (x < 8) {
    const y = x * x;
    const ratio =
      (x *
        horner(
          [
            -0.4900604943e13, 0.127527439e13, -0.5153438139e11, 0.7349264551e9, -0.4237922726e7,
            0.8511937935e4,
          ],
          y,
        )) /
      horner(
        [0.249958057e14, 0.4244419664e12, 0.3733650367e10, 0.2245904002e8, 0.102042605e6, 0.3549632885e3, 1],
        y,
      );
    return ratio + TWO_OVER_PI * (j1(x) * Math.log(x) - 1 / x);
  }
  return asymptoticJY(x, 2.356194491, P1, Q1, 'y');
}

export function besselY(x: number, n: number): number {
  if (n === 0) return y0(x);
  let previous = y0(x);
  let current = y1(x);
  for (let k = 1; k < n; k++) {
    const next = ((2 * k) / x) * current - previous;
    previous = current;
    current = next;
  }
  return current;
}

function i0(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3.75) {
    const y = (x / 3.75) ** 2;
    return horner([1, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2], y);
  }
  const y = 3.75 / ax;
  const series = horner(
    [
      0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1, 0.2635537e-1,
      -0.1647633e-1, 0.392377e-2,
    ],
    y,
  );
  return (Math.exp(ax) / Math.sqrt(ax)) * series;
}

function i1(x: number): number {
  const ax = Math.abs(x);
  let ans: number;
  if (ax < 3.75) {
    const y = (x / 3.75) ** 2;
    ans = ax * horner([0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3], y);
  } else {
    const y = 3.75 / ax;
    const series = horner(
      [
        0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1, -0.2895312e-1,
        0.1787654e-1, -0.420059e-2,
      ],
      y,
    );
    ans = (Math.exp(ax) / Math.sqrt(ax)) * series;
  }
  return x < 0 ? -ans : ans;
}

export function besselI(x: number, n: number): number {
  if (n === 0) return i0(x);
  if (n === 1) return i1(x);
  if (x === 0) return 0;
  const ans = exactIRatio(Math.abs(x), n) * i0(x);
  return x < 0 && n % 2 === 1 ? -ans : ans;
}

function k0(x: number): number {
  if (x <= 2) {
    const y = (x * x) / 4;
    return (
      -Math.log(x / 2) * i0(x) +
      horner([-0.57721566, 0.4227842, 0.23069756, 0.348859e-1, 0.262698e-2, 0.1075e-3, 0.74e-5], y)
    );
  }
  const y = 2 / x;
  return (
    (Math.exp(-x) / Math.sqrt(x)) *
    horner([1.25331414, -0.7832358e-1, 0.2189568e-1, -0.1062446e-1, 0.587872e-2, -0.25154e-2, 0.53208e-3], y)
  );
}

function k1(x: number): number {
  if (x <= 2) {
    const y = (x * x) / 4;
    return (
      Math.log(x / 2) * i1(x) +
      (1 / x) * horner([1, 0.15443144, -0.67278579, -0.18156897, -0.1919402e-1, -0.110404e-2, -0.4686e-4], y)
    );
  }
  const y = 2 / x;
  return (
    (Math.exp(-x) / Math.sqrt(x)) *
    horner([1.25331414, 0.23498619, -0.365562e-1, 0.1504268e-1, -0.780353e-2, 0.325614e-2, -0.68245e-3], y)
  );
}

export function besselK(x: number, n: number): number {
  if (n === 0) return k0(x);
  let previous = k0(x);
  let current = k1(x);
  for (let k = 1; k < n; k++) {
    const next = previous + ((2 * k) / x) * current;
    previous = current;
    current = next;
  }
  return current;
}
