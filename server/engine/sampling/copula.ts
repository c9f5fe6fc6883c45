/**
 * RiskCopula: inputs whose uniforms are drawn jointly from a copula, each then mapped through its own
 * exact quantile, so the marginals stay exactly the distributions written.
 *
 * Each trial's joint draw reads only the run's plain uniforms of the group's stream for that trial
 * (draws 1, 2, …), so it depends on (seed, trial, stream) alone, never on how a run is split, and is the
 * same under Latin hypercube sampling (the copula's draw is not stratified).
 *
 *   Gaussian:  z = L·Φ⁻¹(w), u = Φ(z), L the Cholesky factor of the correlation matrix.
 *   Student t: the same z divided by √(χ²_ν/ν), u = t_ν(·).
 *   Clayton, Gumbel, Frank (Marshall–Olkin 1988): a frailty V drawn from the distribution whose Laplace
 *   transform is the generator ψ, then u_i = ψ(E_i/V) with E_i standard exponentials. V is Gamma(1/θ)
 *   for Clayton, positive stable of index 1/θ for Gumbel (Kanter's representation), logarithmic-series
 *   with p = 1 − e^(−θ) for Frank (Kemp's LK algorithm). A two-input Frank copula is drawn by
 *   conditional inversion instead, which also allows its negative θ.
 */
import { gammaPInv, normCdf, normInv, studentTCdf } from '../../../shared/numeric/special';
import { type CorrelationMatrix, validateCorrelationMatrix } from './correlation';

/**
 * @RISK's reflected Archimedean copulas: R flips every input (u → 1 − u), RX the first of two (the
 * pattern flipped on the Y axis), RY the second. A reflection turns a Clayton's lower tail dependence
 * into an upper one (R), or the dependence negative (RX, RY).
 */
export type CopulaReflection = 'all' | 'first' | 'second';

export type CopulaSpec =
  | { family: 'gaussian'; correlation: number[][] }
  | { family: 't'; correlation: number[][]; degreesOfFreedom: number }
  | {
      family: 'clayton' | 'gumbel' | 'frank';
      theta: number;
      dimension: number;
      reflection?: CopulaReflection;
    };

export interface CopulaName {
  family: CopulaSpec['family'];
  reflection?: CopulaReflection;
}

/**
 * The names a copula definition may start with (upper case), as @RISK's Define Copula lists them, with
 * the reflected forms of its Copula Types page (Frank is symmetric under R, and FrankRY is FrankRX).
 */
export const COPULA_FAMILIES: ReadonlyMap<string, CopulaName> = new Map([
  ['GAUSSIAN', { family: 'gaussian' }],
  ['NORMAL', { family: 'gaussian' }],
  ['T', { family: 't' }],
  ['STUDENT', { family: 't' }],
  ['CLAYTON', { family: 'clayton' }],
  ['CLAYTONR', { family: 'clayton', reflection: 'all' }],
  ['CLAYTONRX', { family: 'clayton', reflection: 'first' }],
  ['CLAYTONRY', { family: 'clayton', reflection: 'second' }],
  ['GUMBEL', { family: 'gumbel' }],
  ['GUMBELR', { family: 'gumbel', reflection: 'all' }],
  ['GUMBELRX', { family: 'gumbel', reflection: 'first' }],
  ['GUMBELRY', { family: 'gumbel', reflection: 'second' }],
  ['FRANK', { family: 'frank' }],
  ['FRANKRX', { family: 'frank', reflection: 'first' }],
]);

/** The trial's uniform number `draw` (1, 2, …) of the group's stream. */
export type TrialDraw = (draw: number) => number;

/** Writes one trial's joint uniforms, out[j] for the input at position j + 1, each in (0, 1). */
export type CopulaSampler = (draw: TrialDraw, out: Float64Array) => void;

/**
 * The run's own uniforms lie in [2^-54, 1 − 2^-53]; a copula's may round to 0 or 1 far in a tail (Φ(−40),
 * a Clayton θ of 100), where an unbounded quantile would be infinite. They are held to the same range.
 */
const SMALLEST_UNIFORM = 2 ** -54;
const LARGEST_UNIFORM = 1 - 2 ** -53;

function withinOpenUnit(sampler: CopulaSampler): CopulaSampler {
  return (draw, out) => {
    sampler(draw, out);
    for (let i = 0; i < out.length; i++)
      out[i] = Math.min(LARGEST_UNIFORM, Math.max(SMALLEST_UNIFORM, out[i]));
  };
}

/**
 * A sampler for the copula, or what is wrong with its parameters. A correlation matrix that is not
 * positive semi-definite is adjusted as RiskCorrmat's is, with a warning.
 */
export function copulaSampler(
  spec: CopulaSpec,
): { sampler: CopulaSampler; warning?: string } | { error: string } {
  const checked = familySampler(spec);
  return 'error' in checked ? checked : { ...checked, sampler: withinOpenUnit(checked.sampler) };
}

function familySampler(spec: CopulaSpec): { sampler: CopulaSampler; warning?: string } | { error: string } {
  if ((spec.family === 'clayton' || spec.family === 'gumbel' || spec.family === 'frank') && spec.reflection) {
    const { reflection, ...plain } = spec;
    if (reflection !== 'all' && spec.dimension !== 2)
      return {
        error: `a copula reflected on one axis (RX, RY) joins two inputs, not ${spec.dimension}: with more, only R (every input reflected) is possible`,
      };
    const checked = familySampler(plain);
    return 'error' in checked ? checked : { ...checked, sampler: reflected(checked.sampler, reflection) };
  }
  switch (spec.family) {
    case 'gaussian':
    case 't': {
      const checked = validateCorrelationMatrix(spec.correlation);
      if ('error' in checked) return checked;
      if (spec.family === 'gaussian') return { sampler: gaussian(checked.matrix), warning: checked.warning };
      const df = spec.degreesOfFreedom;
      if (!(df > 0 && Number.isFinite(df)))
        return { error: `the t copula's degrees of freedom must be positive, got ${df}` };
      return { sampler: studentT(checked.matrix, df), warning: checked.warning };
    }
    case 'clayton':
      if (!(spec.theta > 0 && Number.isFinite(spec.theta)))
        return { error: `the Clayton copula's theta must be greater than 0, got ${spec.theta}` };
      return { sampler: clayton(spec.theta, spec.dimension) };
    case 'gumbel':
      if (!(spec.theta >= 1 && Number.isFinite(spec.theta)))
        return { error: `the Gumbel copula's theta must be 1 or more, got ${spec.theta}` };
      return { sampler: gumbel(spec.theta, spec.dimension) };
    case 'frank':
      if (spec.dimension === 2) {
        if (!(spec.theta !== 0 && Number.isFinite(spec.theta)))
          return { error: `the Frank copula's theta must not be 0, got ${spec.theta}` };
        return { sampler: bivariateFrank(spec.theta) };
      }
      if (!(spec.theta > 0 && Number.isFinite(spec.theta)))
        return {
          error: `the Frank copula's theta must be greater than 0 with more than two inputs, got ${spec.theta}`,
        };
      return { sampler: frank(spec.theta, spec.dimension) };
  }
}

function reflected(sampler: CopulaSampler, reflection: CopulaReflection): CopulaSampler {
  return (draw, out) => {
    sampler(draw, out);
    if (reflection === 'all') for (let i = 0; i < out.length; i++) out[i] = 1 - out[i];
    else {
      const i = reflection === 'first' ? 0 : 1;
      out[i] = 1 - out[i];
    }
  };
}

/** z = L·Φ⁻¹(w) for draws 1..k: correlated standard normals. */
function correlatedNormals(
  matrix: CorrelationMatrix,
  draw: TrialDraw,
  z: Float64Array,
  x: Float64Array,
): void {
  const k = matrix.size;
  const l = matrix.cholesky;
  for (let m = 0; m < k; m++) z[m] = normInv(draw(m + 1));
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let m = 0; m <= i; m++) s += l[i * k + m] * z[m];
    x[i] = s;
  }
}

function gaussian(matrix: CorrelationMatrix): CopulaSampler {
  const z = new Float64Array(matrix.size);
  return (draw, out) => {
    correlatedNormals(matrix, draw, z, out);
    for (let i = 0; i < matrix.size; i++) out[i] = normCdf(out[i]);
  };
}

function studentT(matrix: CorrelationMatrix, df: number): CopulaSampler {
  const z = new Float64Array(matrix.size);
  return (draw, out) => {
    correlatedNormals(matrix, draw, z, out);
    const chiSquare = 2 * gammaPInv(df / 2, draw(matrix.size + 1));
    const scale = Math.sqrt(df / chiSquare);
    for (let i = 0; i < matrix.size; i++) out[i] = studentTCdf(out[i] * scale, df);
  };
}

/** Marshall–Olkin: u_i = ψ(E_i / V), with E_i = −ln w_i from draws 1..d and V the trial's frailty. */
function marshallOlkin(dimension: number, frailty: (draw: TrialDraw) => number, psi: (t: number) => number) {
  return (draw: TrialDraw, out: Float64Array): void => {
    const v = frailty(draw);
    for (let i = 0; i < dimension; i++) out[i] = psi(-Math.log(draw(i + 1)) / v);
  };
}

function clayton(theta: number, dimension: number): CopulaSampler {
  // ψ(t) = (1 + t)^(−1/θ), the Laplace transform of Gamma(1/θ, 1)
  return marshallOlkin(
    dimension,
    (draw) => gammaPInv(1 / theta, draw(dimension + 1)),
    (t) => Math.exp(-Math.log1p(t) / theta),
  );
}

function gumbel(theta: number, dimension: number): CopulaSampler {
  const alpha = 1 / theta;
  // θ = 1 is independence
  if (alpha === 1)
    return marshallOlkin(
      dimension,
      () => 1,
      (t) => Math.exp(-t),
    );
  // ψ(t) = exp(−t^α), the Laplace transform of a positive stable variable of index α (Kanter 1975):
  // V = sin(αΘ)/sin(Θ)^(1/α) · (sin((1−α)Θ)/W)^((1−α)/α), Θ uniform on (0, π), W standard exponential.
  // Taken through logarithms: for a large θ the two factors overflow and underflow separately.
  const stable = (draw: TrialDraw): number => {
    const angle = Math.PI * draw(dimension + 1);
    const w = -Math.log(draw(dimension + 2));
    return Math.exp(
      Math.log(Math.sin(alpha * angle)) -
        Math.log(Math.sin(angle)) / alpha +
        ((1 - alpha) / alpha) * (Math.log(Math.sin((1 - alpha) * angle)) - Math.log(w)),
    );
  };
  return marshallOlkin(dimension, stable, (t) => Math.exp(-(t ** alpha)));
}

function frank(theta: number, dimension: number): CopulaSampler {
  // ψ(t) = −ln(1 − p·e^(−t))/θ with p = 1 − e^(−θ), the Laplace transform of the logarithmic series of p
  const p = -Math.expm1(-theta);
  const logarithmic = (draw: TrialDraw): number => {
    // Kemp (1981), algorithm LK: two uniforms per draw whatever p, so a θ near 40 costs no more
    const u2 = draw(dimension + 1);
    if (u2 > p) return 1;
    const q = -Math.expm1(-theta * draw(dimension + 2));
    if (u2 < q * q) return Math.floor(1 + Math.log(u2) / Math.log(q));
    return u2 > q ? 1 : 2;
  };
  return marshallOlkin(dimension, logarithmic, (t) => -Math.log1p(-p * Math.exp(-t)) / theta);
}

/**
 * Frank with two inputs: u from draw 1, then v solving ∂C/∂u(u, v) = w for w from draw 2, which is
 * e^(−θv) = (e^(−θu)(1 − w) + w·e^(−θ)) / (e^(−θu)(1 − w) + w), taken through logarithms so that a
 * large |θ| neither overflows nor cancels.
 */
function bivariateFrank(theta: number): CopulaSampler {
  return (draw, out) => {
    const u = draw(1);
    const w = draw(2);
    const kept = -theta * u + Math.log1p(-w);
    const logW = Math.log(w);
    out[0] = u;
    out[1] = -(logAddExp(kept, logW - theta) - logAddExp(kept, logW)) / theta;
  };
}

/** ln(e^a + e^b) without overflow. */
function logAddExp(a: number, b: number): number {
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(Math.min(a, b) - high));
}
