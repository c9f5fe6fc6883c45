/**
 * The fixed part of every generated CUDA kernel: Philox4x32-10 and the 53-bit uniform exactly as in
 * sampling/philox.ts, Excel errors carried as NaN payloads, the operators with Excel's error rules,
 * and the inverse cdfs (AS241 and the incomplete-beta inversion as in numeric/special.ts).
 * Nothing here comes from a workbook; the only numbers spliced in are the constants below.
 */
import { OUTCOME_CODES } from '../cpu/runtime';

/** Philox4x32 round multipliers and Weyl key increments (Random123), as in philox.ts. */
export const PHILOX = { M0: 0xd2511f53, M1: 0xcd9e8d57, W0: 0x9e3779b9, W1: 0xbb67ae85, ROUNDS: 10 };

/** AS241 (Wichura 1988) coefficients, lowest degree first, as in special.ts' normInv. */
export const AS241 = {
  A: [
    3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
    67265.7709270087, 33430.57558358813, 2509.0809287301227,
  ],
  B: [
    1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
    28729.085735721943, 5226.495278852854,
  ],
  C: [
    1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
    0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
  ],
  D: [
    1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
    0.0005475938084995345, 1.0507500716444169e-9,
  ],
  E: [
    6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
    0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
  ],
  F: [
    1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
    0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
  ],
} as const;

/** The outcome byte of an Excel error, as the CPU backend stores it (OUTCOME_CODES index). */
export function outcomeCode(name: string): number {
  const code = OUTCOME_CODES.indexOf(name);
  if (code <= 0) throw new Error(`internal: unknown outcome ${name}`);
  return code;
}

/** A C++ double literal that parses back to exactly `value` (shortest round-trip text, never an int). */
export function cudaDouble(value: number): string {
  if (!Number.isFinite(value)) throw new Error('internal: non-finite constant in a CUDA kernel');
  if (Object.is(value, -0)) return '(-0.0)';
  let text = String(value);
  if (Number(text) !== value) throw new Error('internal: number does not round-trip');
  if (!/[.e]/.test(text)) text += '.0';
  return value < 0 ? `(${text})` : text;
}

function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}u`;
}

/** Horner evaluation in the order of special.ts' poly(): highest coefficient first. */
function polyFunction(name: string, c: readonly number[]): string {
  const lines = [`__device__ __forceinline__ double ${name}(double x) {`];
  lines.push(`  double r = ${cudaDouble(c[c.length - 1])};`);
  for (let i = c.length - 2; i >= 0; i--) lines.push(`  r = r * x + ${cudaDouble(c[i])};`);
  lines.push('  return r;', '}');
  return lines.join('\n');
}

const E = {
  DIV0: outcomeCode('#DIV/0!'),
  VALUE: outcomeCode('#VALUE!'),
  NUM: outcomeCode('#NUM!'),
  NA: outcomeCode('#N/A'),
};

/** Error codes the generator needs when it emits error checks. */
export const ERROR_CODES = E;

export function deviceLibrary(): string {
  return `
// ---- Excel values: a double, an error being a NaN whose low byte is the outcome code ----
__device__ __forceinline__ double mc_err(int code) { return __longlong_as_double(0x7ff8000000000000LL | (long long)code); }
__device__ __forceinline__ bool mc_is_err(double x) { return isnan(x); }
__device__ __forceinline__ unsigned char mc_code(double x) {
  if (!isnan(x)) return 0;
  const int code = (int)(__double_as_longlong(x) & 0xffLL);
  return (unsigned char)(code > 0 ? code : ${E.VALUE});
}
__device__ __forceinline__ double mc_fin(double x) { return isfinite(x) ? x : mc_err(${E.NUM}); }
#define MC_PROPAGATE2(a, b) if (isnan(a)) return a; if (isnan(b)) return b;
__device__ __forceinline__ double mc_add(double a, double b) { MC_PROPAGATE2(a, b) return mc_fin(a + b); }
__device__ __forceinline__ double mc_sub(double a, double b) { MC_PROPAGATE2(a, b) return mc_fin(a - b); }
__device__ __forceinline__ double mc_mul(double a, double b) { MC_PROPAGATE2(a, b) return mc_fin(a * b); }
__device__ __forceinline__ double mc_div(double a, double b) {
  MC_PROPAGATE2(a, b)
  return b == 0.0 ? mc_err(${E.DIV0}) : mc_fin(a / b);
}
__device__ __forceinline__ double mc_pow(double a, double b) {
  MC_PROPAGATE2(a, b)
  if (a == 0.0 && b == 0.0) return mc_err(${E.NUM});
  if (a == 0.0 && b < 0.0) return mc_err(${E.DIV0});
  return mc_fin(pow(a, b));
}
__device__ __forceinline__ double mc_eq(double a, double b) { MC_PROPAGATE2(a, b) return a == b ? 1.0 : 0.0; }
__device__ __forceinline__ double mc_ne(double a, double b) { MC_PROPAGATE2(a, b) return a != b ? 1.0 : 0.0; }
__device__ __forceinline__ double mc_lt(double a, double b) { MC_PROPAGATE2(a, b) return a < b ? 1.0 : 0.0; }
__device__ __forceinline__ double mc_le(double a, double b) { MC_PROPAGATE2(a, b) return a <= b ? 1.0 : 0.0; }
__device__ __forceinline__ double mc_gt(double a, double b) { MC_PROPAGATE2(a, b) return a > b ? 1.0 : 0.0; }
__device__ __forceinline__ double mc_ge(double a, double b) { MC_PROPAGATE2(a, b) return a >= b ? 1.0 : 0.0; }
__device__ __forceinline__ double mc_neg(double a) { return isnan(a) || a == 0.0 ? (isnan(a) ? a : 0.0) : -a; }
__device__ __forceinline__ double mc_pct(double a) { return isnan(a) ? a : a / 100.0; }
__device__ __forceinline__ double mc_abs(double a) { return isnan(a) ? a : fabs(a); }
__device__ __forceinline__ double mc_sqrt(double a) { return isnan(a) ? a : a < 0.0 ? mc_err(${E.NUM}) : sqrt(a); }
__device__ __forceinline__ double mc_exp(double a) { return isnan(a) ? a : mc_fin(exp(a)); }
__device__ __forceinline__ double mc_ln(double a) { return isnan(a) ? a : a <= 0.0 ? mc_err(${E.NUM}) : log(a); }
__device__ __forceinline__ bool mc_is_na(double x) { return isnan(x) && mc_code(x) == ${E.NA}; }
// Aggregates fold one number at a time; the first error met wins, as in Excel's argument order.
struct mc_sum { double acc = 0.0; bool failed = false; double error = 0.0;
  __device__ __forceinline__ void add(double x) { if (failed) return; if (isnan(x)) { failed = true; error = x; } else acc += x; }
  __device__ __forceinline__ double result() const { return failed ? error : mc_fin(acc); } };
struct mc_min { double acc = 0.0; bool any = false; bool failed = false; double error = 0.0;
  __device__ __forceinline__ void add(double x) { if (failed) return; if (isnan(x)) { failed = true; error = x; } else if (!any || x < acc) { acc = x; any = true; } }
  __device__ __forceinline__ double result() const { return failed ? error : acc; } };
struct mc_max { double acc = 0.0; bool any = false; bool failed = false; double error = 0.0;
  __device__ __forceinline__ void add(double x) { if (failed) return; if (isnan(x)) { failed = true; error = x; } else if (!any || x > acc) { acc = x; any = true; } }
  __device__ __forceinline__ double result() const { return failed ? error : acc; } };

// ---- ROUND, ROUNDUP, ROUNDDOWN as functions/math-rounding.ts' roundToDigits ----
// Number(s.toPrecision(15)) for 0.25 <= |s| < 2^53, the only values roundToDigits trims (next to a
// rounding boundary): s times an exact power of ten, split exactly by fma, rounded to an integer with
// ties to the larger magnitude, then divided back (one correctly rounded division, as parsing does).
__device__ double mc_round15(double s) {
  const double a = fabs(s);
  double r;
  if (a >= 1e15) {
    const double m = fmod(a, 10.0);
    r = m >= 5.0 ? (a - m) + 10.0 : a - m;
  } else {
    double p = 1e15;
    while (p > 1.0 && a * p >= 1e15) p /= 10.0;
    const double hi = a * p, lo = fma(a, p, -hi);
    double n = floor(hi);
    const double frac = hi - n;
    if (frac >= 0.25 && frac - 0.5 >= -lo) n += 1.0;
    r = n / p;
  }
  return s < 0.0 ? -r : r;
}
__device__ __forceinline__ bool mc_near_half_step(double scaled) {
  const double twice = fabs(scaled) * 2.0;
  return fabs(twice - round(twice)) <= twice * 1e-13;
}
__device__ __forceinline__ double mc_sign(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }
// step: 0 halves away from zero (ROUND), 1 away from zero (ROUNDUP), 2 toward zero (ROUNDDOWN).
__device__ double mc_round_digits(double x, double digits, int step) {
  MC_PROPAGATE2(x, digits)
  digits = trunc(digits);
  if (x == 0.0) return 0.0;
  if (digits > 308.0) return x;
  if (digits < -308.0) return 0.0;
  const double factor = pow(10.0, fabs(digits));
  const double scaled = digits >= 0.0 ? x * factor : x / factor;
  if (!isfinite(scaled) || fabs(scaled) >= 9007199254740992.0) return x;
  const double v = mc_near_half_step(scaled) ? mc_round15(scaled) : scaled;
  const double stepped = step == 0 ? mc_sign(v) * floor(fabs(v) + 0.5) : step == 1 ? mc_sign(v) * ceil(fabs(v)) : trunc(v);
  const double result = digits >= 0.0 ? stepped / factor : stepped * factor;
  return result == 0.0 ? 0.0 : result;
}
__device__ __forceinline__ double mc_round(double x, double digits) { return mc_round_digits(x, digits, 0); }
__device__ __forceinline__ double mc_roundup(double x, double digits) { return mc_round_digits(x, digits, 1); }
__device__ __forceinline__ double mc_rounddown(double x, double digits) { return mc_round_digits(x, digits, 2); }

// ---- Cash flows (functions/financial-cashflow.ts): NPV, and IRR by Newton then bisection ----
__device__ double mc_npv_value(double rate, const double* v, int n) {
  const double factor = 1.0 / (1.0 + rate);
  double discount = factor, sum = 0.0;
  for (int i = 0; i < n; i++) { sum += v[i] * discount; discount *= factor; }
  return sum;
}
__device__ void mc_npv_slope(double rate, const double* v, int n, double* npv, double* slope) {
  const double factor = 1.0 / (1.0 + rate);
  double discount = factor;
  *npv = 0.0; *slope = 0.0;
  for (int i = 0; i < n; i++) { *npv += v[i] * discount; *slope -= (i + 1) * v[i] * discount * factor; discount *= factor; }
}
// Newton from a guess; false where it does not converge to a rate above -1.
__device__ bool mc_irr_newton(const double* v, int n, double guess, double* root) {
  double rate = guess;
  for (int i = 0; i < 50; i++) {
    double value, slope;
    mc_npv_slope(rate, v, n, &value, &slope);
    const double next = rate - value / slope;
    if (!isfinite(next)) return false;
    if (fabs(next - rate) < 1e-8 * fmax(1.0, fabs(rate))) { *root = next; return next > -1.0; }
    rate = next;
  }
  return false;
}
__device__ double mc_irr(const double* v, int n, double guess) {
  if (guess <= -1.0) return mc_err(${E.VALUE});
  bool positive = false, negative = false;
  for (int i = 0; i < n; i++) { if (v[i] > 0.0) positive = true; else if (v[i] < 0.0) negative = true; }
  if (!(positive && negative)) return mc_err(${E.NUM});
  double root;
  if (mc_irr_newton(v, n, guess, &root)) return mc_fin(root);
  double low = -0.99999, high = 100.0;
  double f_low = mc_npv_value(low, v, n);
  const double f_high = mc_npv_value(high, v, n);
  if (!(f_low * f_high < 0.0)) {
    if (mc_irr_newton(v, n, 200.0, &root) || mc_irr_newton(v, n, -0.5, &root)) return mc_fin(root);
    return mc_err(${E.NUM});
  }
  for (int i = 0; i < 200 && high - low > 1e-12; i++) {
    const double mid = (low + high) / 2.0;
    const double f_mid = mc_npv_value(mid, v, n);
    if (f_mid == 0.0) return mid;
    if (f_mid * f_low < 0.0) high = mid; else { low = mid; f_low = f_mid; }
  }
  return mc_fin((low + high) / 2.0);
}

// PV(rate, nper, pmt, fv, type) of functions/financial-tvm.ts; the first error among the arguments wins.
__device__ double mc_pv(double rate, double nper, double pmt, double fv, double type) {
  if (isnan(rate)) return rate; if (isnan(nper)) return nper; if (isnan(pmt)) return pmt;
  if (isnan(fv)) return fv; if (isnan(type)) return type;
  const double due = type != 0.0 ? 1.0 : 0.0;
  if (rate == 0.0) return mc_fin(-(fv + pmt * nper));
  const double growth = pow(1.0 + rate, nper);
  return mc_fin(-(fv + (pmt * (1.0 + rate * due) * (growth - 1.0)) / rate) / growth);
}

// ---- Philox4x32-10 and the 53-bit uniform of sampling/philox.ts ----
__device__ __forceinline__ double mc_uniform(unsigned long long trial, unsigned int stream, unsigned int k0, unsigned int k1) {
  unsigned int c0 = (unsigned int)(trial & 0xffffffffull), c1 = (unsigned int)(trial >> 32), c2 = stream, c3 = 0u;
  #pragma unroll
  for (int round = 0; round < ${PHILOX.ROUNDS}; round++) {
    if (round > 0) { k0 += ${hex32(PHILOX.W0)}; k1 += ${hex32(PHILOX.W1)}; }
    const unsigned int hi0 = __umulhi(${hex32(PHILOX.M0)}, c0), lo0 = ${hex32(PHILOX.M0)} * c0;
    const unsigned int hi1 = __umulhi(${hex32(PHILOX.M1)}, c2), lo1 = ${hex32(PHILOX.M1)} * c2;
    c0 = hi1 ^ c1 ^ k0; c1 = lo1; c2 = hi0 ^ c3 ^ k1; c3 = lo0;
  }
  const unsigned long long k = ((unsigned long long)(c0 >> 11) << 32) | (unsigned long long)c1;
  return k == 0ull ? 0x1p-54 : (double)k * 0x1p-53;
}

// ---- Inverse cdfs ----
${polyFunction('mc_as241_a', AS241.A)}
${polyFunction('mc_as241_b', AS241.B)}
${polyFunction('mc_as241_c', AS241.C)}
${polyFunction('mc_as241_d', AS241.D)}
${polyFunction('mc_as241_e', AS241.E)}
${polyFunction('mc_as241_f', AS241.F)}
__device__ double mc_norm_inv(double p) {
  const double q = p - 0.5;
  if (fabs(q) <= 0.425) { const double r = 0.180625 - q * q; return (q * mc_as241_a(r)) / mc_as241_b(r); }
  double r = sqrt(-log(q < 0.0 ? p : 1.0 - p));
  double x;
  if (r <= 5.0) { r -= 1.6; x = mc_as241_c(r) / mc_as241_d(r); }
  else { r -= 5.0; x = mc_as241_e(r) / mc_as241_f(r); }
  return q < 0.0 ? -x : x;
}
// A tabled discrete distribution: the first support value whose cumulative probability reaches u.
__device__ double mc_table(double u, const double* cumulative, const double* values, int n) {
  int lo = 0, hi = n;
  while (lo < hi) { const int mid = (lo + hi) >> 1; if (cumulative[mid] < u) lo = mid + 1; else hi = mid; }
  return values[lo < n ? lo : n - 1];
}
__device__ __forceinline__ double mc_triangular(double u, double lo, double width, double left, double right, double mode_cdf, double hi) {
  return u < mode_cdf ? lo + sqrt(u * width * left) : hi - sqrt((1.0 - u) * width * right);
}
// Incomplete beta I_x(a,b) (Numerical Recipes betacf, Lentz) with ln B(a,b) computed on the host.
__device__ double mc_beta_fraction(double x, double a, double b) {
  const double tiny = 1e-300, eps = 2.220446049250313e-16;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - (qab * x) / qap;
  if (fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < 100000; m++) {
    const double m2 = 2.0 * m;
    double aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d; if (fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c; if (fabs(c) < tiny) c = tiny;
    d = 1.0 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d; if (fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c; if (fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (fabs(delta - 1.0) < eps) break;
  }
  return h;
}
__device__ double mc_inc_beta(double x, double y, double a, double b, double ln_beta, bool complement) {
  if (x <= 0.0) return complement ? 1.0 : 0.0;
  if (y <= 0.0) return complement ? 0.0 : 1.0;
  const double ln_x = x < 0.5 ? log(x) : log1p(-y);
  const double ln_y = y < 0.5 ? log(y) : log1p(-x);
  const double prefix = exp(a * ln_x + b * ln_y - ln_beta);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    const double lower = (prefix * mc_beta_fraction(x, a, b)) / a;
    return complement ? 1.0 - lower : lower;
  }
  const double upper = (prefix * mc_beta_fraction(y, b, a)) / b;
  return complement ? upper : 1.0 - upper;
}
// Safeguarded Newton on the side of the median where the residual is accurate (special.ts' betaInv).
__device__ double mc_beta_inv(double p, double a, double b, double ln_beta) {
  const bool upper = p > 0.5;
  const double target = upper ? 1.0 - p : p;
  double x;
  if (a >= 1.0 && b >= 1.0) {
    const double z = -mc_norm_inv(p);
    const double al = (z * z - 3.0) / 6.0;
    const double h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0));
    const double w = (z * sqrt(al + h)) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (al + 5.0 / 6.0 - 2.0 / (3.0 * h));
    x = a / (a + b * exp(2.0 * w));
  } else {
    const double t = exp(a * log(a / (a + b))) / a, u = exp(b * log(b / (a + b))) / b, w = t + u;
    x = p < t / w ? pow(a * w * p, 1.0 / a) : 1.0 - pow(b * w * (1.0 - p), 1.0 / b);
  }
  if (!(x > 0.0 && x < 1.0)) x = 0.5;
  double lo = 0.0, hi = 1.0;
  for (int iter = 0; iter < 400; iter++) {
    const double r = upper ? target - mc_inc_beta(x, 1.0 - x, a, b, ln_beta, true)
                           : mc_inc_beta(x, 1.0 - x, a, b, ln_beta, false) - target;
    if (r == 0.0) return x;
    if (r < 0.0) lo = x; else hi = x;
    const double density = exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - ln_beta);
    double next = x - r / density;
    if (!(next > lo && next < hi) || !isfinite(next)) next = 0.5 * (lo + hi);
    if (fabs(next - x) <= 4.0 * 2.220446049250313e-16 * fabs(next) || next == lo || next == hi) return next;
    x = next;
  }
  return x;
}
`;
}
