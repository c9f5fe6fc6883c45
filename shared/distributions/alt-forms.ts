/**
 * @RISK's Alt forms: Risk<Name>Alt(arg1type, arg1value, arg2type, arg2value, …) gives a distribution by
 * some of its parameters and some of its percentiles. Each type is a parameter's name as @RISK's help
 * writes it ("mu", "sigma", "min", "m. likely", "max", "alpha", "beta", …; case, spaces and dots
 * ignored), "loc" (a shift) for the families without a location of their own, or a percentile: a
 * number strictly between 0 and 1, or text such as "5%". Risk<Name>AltD reads percentiles as
 * cumulative descending (P(X ≥ x)). The result is the plain distribution whose percentiles are the
 * given values: RiskNormalAlt(5%, 10, 95%, 20) is a RiskNormal, sampled and truncated as one.
 *
 * Every family here is location + scale · Z(shapes): each named location-like parameter, each
 * percentile and each bound is a constraint a·location + b·scale = x whose coefficients depend only on
 * the shapes (a percentile p: a = 1, b = Z's quantile at p; a minimum: 1, 0; a maximum: 1, 1; a most
 * likely value: 1, Z's mode). With the unknown shapes fixed, two constraints give location and scale;
 * the others must agree, which makes the 3×3 determinants of the constraints vanish. No unknown shape:
 * closed form. One: the determinant's sign changes on a grid over the shape's range, each refined by
 * Brent's method. Two (BetaGeneral by four percentiles): Newton's method from a grid of starts. The
 * solution is kept only if the distribution then hits every stated percentile; otherwise the call is
 * refused (#VALUE!), as when the percentiles are out of order or a type is unknown or repeated.
 */

import { abs, exp, expm1, isFiniteNumber, log, max as maxOf, sqrt } from '../numeric/math';
import { brentRoot } from '../numeric/root';
import type { DistributionSpec, DistributionType } from './base';
import { createDistribution } from './distribution';

/** a·location + b·scale = x */
interface Row {
  a: number;
  b: number;
  x: number;
}

/** Where an unknown shape is searched: [lo, hi], on a log scale for the positive ones. */
interface ShapeRange {
  lo: number;
  hi: number;
  log: boolean;
}

interface AltFamily {
  readonly type: DistributionType;
  /** @RISK's names of the parameters (normalised), in the distribution function's order. */
  readonly labels: readonly string[];
  /** For each label, the index of the shape it is (undefined: a location–scale constraint). */
  readonly shapeOf: readonly (number | undefined)[];
  readonly shapes: readonly ShapeRange[];
  /** Whether @RISK's "loc" (a shift) is accepted: the families without a location parameter. */
  readonly loc: boolean;
  /** Families without a scale parameter (Student): it is 1. */
  readonly unitScale?: boolean;
  /** Families without a location parameter or "loc" (Beta): it is 0. */
  readonly zeroLocation?: boolean;
  /** The constraint row coefficients [a, b] of the non-shape label at `index`, given the shapes. */
  coefficients(index: number, shapes: number[]): [number, number];
  /** The standard member (location 0, scale 1). */
  standard(shapes: number[]): DistributionSpec;
  /** The distribution's own parameters (and shift) from location, scale and shapes. */
  params(location: number, scale: number, shapes: number[]): { params: number[]; shift?: number };
}

const POSITIVE = (lo: number, hi: number): ShapeRange => ({ lo, hi, log: true });
const UNIT: ShapeRange = { lo: 0, hi: 1, log: false };

/** Location and scale parameters and nothing else (Normal, Logistic, Laplace, ExtValue, …). */
function locationScale(type: DistributionType, location: string, scale: string): AltFamily {
  return {
    type,
    labels: [location, scale],
    shapeOf: [undefined, undefined],
    shapes: [],
    loc: false,
    coefficients: (index) => (index === 0 ? [1, 0] : [0, 1]),
    standard: () => ({ type, params: [0, 1] }),
    params: (l, s) => ({ params: [l, s] }),
  };
}

/** min + (max - min) · Z(shapes) with the bounds among the labels (Uniform, Triang, Pert, BetaGeneral). */
function bounded(
  type: DistributionType,
  labels: string[],
  shapeOf: (number | undefined)[],
  shapes: ShapeRange[],
  boundRow: (label: string, shapes: number[]) => [number, number],
  standard: (shapes: number[]) => number[],
  params: (min: number, max: number, shapes: number[]) => number[],
): AltFamily {
  return {
    type,
    labels,
    shapeOf,
    shapes,
    loc: false,
    coefficients: (index, s) => boundRow(labels[index], s),
    standard: (s) => ({ type, params: standard(s) }),
    params: (l, scale, s) => ({ params: params(l, l + scale, s) }),
  };
}

/** Shapes alpha1 and alpha2 on [lower, upper], the bounds named as in the Risk* function (BetaGeneral, …). */
function twoShapesBounded(
  type: DistributionType,
  [lower, upper]: [string, string],
  first: ShapeRange = POSITIVE(0.02, 500),
  second: ShapeRange = POSITIVE(0.02, 500),
): AltFamily {
  return bounded(
    type,
    ['alpha1', 'alpha2', lower, upper],
    [0, 1, undefined, undefined],
    [first, second],
    (label) => (label === lower ? [1, 0] : [1, 1]),
    (s) => [s[0], s[1], 0, 1],
    (min, max, s) => [s[0], s[1], min, max],
  );
}

/** Triang and Pert: min + (max - min) · Z(c), the most likely value at min + c (max - min). */
function minModeMax(type: DistributionType): AltFamily {
  return bounded(
    type,
    ['min', 'mlikely', 'max'],
    [undefined, undefined, undefined],
    [UNIT],
    (label, s) => (label === 'min' ? [1, 0] : label === 'max' ? [1, 1] : [1, s[0]]),
    (s) => [0, s[0], 1],
    (min, max, s) => [min, min + s[0] * (max - min), max],
  );
}

/** scale · Z(shapes) shifted by "loc" (Expon, Gamma, Weibull): the scale is the last parameter. */
function shapeScale(type: DistributionType, labels: string[], shapes: ShapeRange[]): AltFamily {
  const scaleIndex = labels.length - 1;
  return {
    type,
    labels,
    shapeOf: labels.map((_, i) => (i < scaleIndex ? i : undefined)),
    shapes,
    loc: true,
    coefficients: () => [0, 1],
    standard: (s) => ({ type, params: [...s, 1] }),
    params: (l, scale, s) => ({ params: [...s, scale], shift: l }),
  };
}

/**
 * A family by the role of each parameter, in the distribution function's order: its location, its scale
 * or its shape number k. Without a location parameter, @RISK's "loc" shifts it.
 */
function byRoles(
  type: DistributionType,
  labels: string[],
  roles: ('location' | 'scale' | number)[],
  shapes: ShapeRange[],
): AltFamily {
  const located = roles.includes('location');
  const value = (role: 'location' | 'scale' | number, l: number, scale: number, s: number[]) =>
    role === 'location' ? l : role === 'scale' ? scale : s[role];
  return {
    type,
    labels,
    shapeOf: roles.map((role) => (typeof role === 'number' ? role : undefined)),
    shapes,
    loc: !located,
    coefficients: (index) => (roles[index] === 'location' ? [1, 0] : [0, 1]),
    standard: (s) => ({ type, params: roles.map((role) => value(role, 0, 1, s)) }),
    params: (l, scale, s) => ({
      params: roles.map((role) => value(role, l, scale, s)),
      ...(located ? {} : { shift: l }),
    }),
  };
}

const FAMILIES: Record<string, AltFamily> = {
  Normal: locationScale('normal', 'mu', 'sigma'),
  Logistic: locationScale('logistic', 'alpha', 'beta'),
  Laplace: locationScale('laplace', 'mu', 'sigma'),
  ExtValue: locationScale('extvalue', 'alpha', 'beta'),
  ExtValueMin: locationScale('extvaluemin', 'alpha', 'beta'),
  Cauchy: locationScale('cauchy', 'gamma', 'beta'),
  HypSecant: locationScale('hypsecant', 'gamma', 'beta'),
  Uniform: bounded(
    'uniform',
    ['min', 'max'],
    [undefined, undefined],
    [],
    (label) => (label === 'min' ? [1, 0] : [1, 1]),
    () => [0, 1],
    (min, max) => [min, max],
  ),
  Triang: minModeMax('triangular'),
  Pert: minModeMax('pert'),
  BetaGeneral: twoShapesBounded('betageneral', ['min', 'max']),
  Expon: shapeScale('exponential', ['beta'], []),
  Gamma: shapeScale('gamma', ['alpha', 'beta'], [POSITIVE(1e-3, 1e4)]),
  Weibull: shapeScale('weibull', ['alpha', 'beta'], [POSITIVE(0.02, 200)]),
  Lognorm: {
    // RiskLognorm(mean, sd) = scale · e^(sigma Z) shifted by loc, sigma the underlying normal's sd
    type: 'lognormal',
    labels: ['mu', 'sigma'],
    shapeOf: [undefined, undefined],
    shapes: [POSITIVE(1e-4, 20)],
    loc: true,
    coefficients: (index, [sigma]) => {
      const meanFactor = exp((sigma * sigma) / 2);
      return [0, index === 0 ? meanFactor : meanFactor * sqrt(expm1(sigma * sigma))];
    },
    standard: ([sigma]) => ({ type: 'lognormal2', params: [0, sigma] }),
    params: (l, scale, [sigma]) => {
      const mean = scale * exp((sigma * sigma) / 2);
      return { params: [mean, mean * sqrt(expm1(sigma * sigma))], shift: l };
    },
  },
  LogLogistic: {
    type: 'loglogistic',
    labels: ['gamma', 'beta', 'alpha'],
    shapeOf: [undefined, undefined, 0],
    shapes: [POSITIVE(0.05, 1000)],
    loc: false,
    coefficients: (index) => (index === 0 ? [1, 0] : [0, 1]),
    standard: ([alpha]) => ({ type: 'loglogistic', params: [0, 1, alpha] }),
    params: (l, scale, [alpha]) => ({ params: [l, scale, alpha] }),
  },
  // The rest of the continuous catalogue with a scale: parameters named as in their Risk* functions.
  Rayleigh: byRoles('rayleigh', ['b'], ['scale'], []),
  Levy: byRoles('levy', ['a', 'c'], ['location', 'scale'], []),
  Frechet: byRoles('frechet', ['gamma', 'beta', 'alpha'], ['location', 'scale', 0], [POSITIVE(0.05, 1000)]),
  FatigueLife: byRoles(
    'fatiguelife',
    ['gamma', 'beta', 'alpha'],
    ['location', 'scale', 0],
    [POSITIVE(0.01, 100)],
  ),
  Dagum: byRoles(
    'dagum',
    ['gamma', 'beta', 'alpha1', 'alpha2'],
    ['location', 'scale', 0, 1],
    [POSITIVE(0.05, 200), POSITIVE(0.02, 200)],
  ),
  Burr12: byRoles(
    'burr12',
    ['gamma', 'beta', 'alpha1', 'alpha2'],
    ['location', 'scale', 0, 1],
    [POSITIVE(0.05, 200), POSITIVE(0.02, 200)],
  ),
  JohnsonSU: byRoles(
    'johnsonsu',
    ['alpha1', 'alpha2', 'gamma', 'beta'],
    [0, 1, 'location', 'scale'],
    [{ lo: -50, hi: 50, log: false }, POSITIVE(0.02, 100)],
  ),
  Pareto: byRoles('pareto', ['theta', 'a'], [0, 'scale'], [POSITIVE(0.05, 1000)]),
  Pareto2: byRoles('pareto2', ['b', 'q'], ['scale', 0], [POSITIVE(0.05, 1000)]),
  Pearson5: byRoles('pearson5', ['alpha', 'beta'], [0, 'scale'], [POSITIVE(0.05, 1000)]),
  Pearson6: byRoles(
    'pearson6',
    ['beta', 'alpha1', 'alpha2'],
    ['scale', 0, 1],
    [POSITIVE(0.05, 500), POSITIVE(0.05, 500)],
  ),
  Kumaraswamy: twoShapesBounded('kumaraswamy', ['min', 'max']),
  Beta: {
    // RiskBeta(alpha1, alpha2) on [0, 1]: neither location nor scale, only its two shapes
    type: 'beta',
    labels: ['alpha1', 'alpha2'],
    shapeOf: [0, 1],
    shapes: [POSITIVE(0.02, 500), POSITIVE(0.02, 500)],
    loc: false,
    unitScale: true,
    zeroLocation: true,
    coefficients: () => [0, 1],
    standard: (s) => ({ type: 'beta', params: s }),
    params: (_l, _scale, s) => ({ params: s }),
  },
  JohnsonSB: twoShapesBounded('johnsonsb', ['a', 'b'], { lo: -50, hi: 50, log: false }, POSITIVE(0.02, 100)),
  InvGauss: {
    // RiskInvGauss(mu, lambda) = mu · IG(1, phi) shifted by loc: mu the scale, lambda = phi · mu
    type: 'invgauss',
    labels: ['mu', 'lambda'],
    shapeOf: [undefined, undefined],
    shapes: [POSITIVE(1e-3, 1e5)],
    loc: true,
    coefficients: (index, [phi]) => [0, index === 0 ? 1 : phi],
    standard: ([phi]) => ({ type: 'invgauss', params: [1, phi] }),
    params: (l, scale, [phi]) => ({ params: [scale, phi * scale], shift: l }),
  },
  Student: {
    // RiskStudent(nu) has no scale; "loc" shifts it
    type: 'student',
    labels: ['nu'],
    shapeOf: [0],
    shapes: [POSITIVE(0.05, 1e7)],
    loc: true,
    unitScale: true,
    coefficients: () => [0, 1],
    standard: ([nu]) => ({ type: 'student', params: [nu] }),
    params: (l, _, [nu]) => ({ params: [nu], shift: l }),
  },
};

/** An Alt function: its family and whether its percentiles are descending (the AltD forms). */
export interface AltFunctionInfo {
  readonly family: string;
  readonly type: DistributionType;
  readonly descending: boolean;
}

/** Upper-case names (RISKNORMALALT, RISKNORMALALTD, …) of the Alt forms. */
export const ALT_FUNCTIONS: ReadonlyMap<string, AltFunctionInfo> = new Map(
  Object.entries(FAMILIES).flatMap(([family, { type }]): [string, AltFunctionInfo][] => [
    [`RISK${family.toUpperCase()}ALT`, { family, type, descending: false }],
    [`RISK${family.toUpperCase()}ALTD`, { family, type, descending: true }],
  ]),
);

const PERCENT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*%?$/i;

/** A percentile argument type as a probability, or the normalised parameter name. */
function argumentType(value: number | string): number | string {
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (PERCENT_TEXT.test(text)) {
    const percent = text.endsWith('%');
    const n = Number(percent ? text.slice(0, -1) : text);
    return percent ? n / 100 : n;
  }
  return text.toLowerCase().replace(/[\s.]/g, '');
}

/**
 * The plain distribution an Alt call stands for, from its evaluated arguments (each type a number or
 * text, each value a number), or why there is none.
 */
export function specFromAltArguments(
  functionName: string,
  args: ReadonlyArray<number | string>,
): DistributionSpec | { error: string } {
  const info = ALT_FUNCTIONS.get(functionName.toUpperCase());
  if (!info) return { error: `${functionName}: not an Alt distribution function` };
  const family = FAMILIES[info.family];
  const fail = (message: string) => ({ error: `${functionName}: ${message}` });
  const expected = family.labels.length;
  if (
    args.length % 2 !== 0 ||
    (args.length !== 2 * expected && !(family.loc && args.length === 2 * expected + 2))
  )
    return fail(
      `expects ${expected}${family.loc ? ` or ${expected + 1} (with "loc")` : ''} type and value pairs, got ${args.length} arguments`,
    );
  const named = new Map<number, number>(); // label index (labels.length for loc) → value
  const percentiles: [number, number][] = [];
  for (let i = 0; i < args.length; i += 2) {
    const type = argumentType(args[i]);
    const value = args[i + 1];
    if (typeof value !== 'number' || !isFiniteNumber(value))
      return fail(`the value after ${args[i]} must be a number`);
    if (typeof type === 'number') {
      if (!(type > 0 && type < 1)) return fail(`a percentile must be strictly between 0 and 1, got ${type}`);
      const p = info.descending ? 1 - type : type;
      if (percentiles.some(([q]) => q === p)) return fail(`the percentile ${type} is given twice`);
      percentiles.push([p, value]);
      continue;
    }
    const index = type === 'loc' && family.loc ? expected : family.labels.indexOf(type);
    if (index < 0)
      return fail(
        `unknown argument type "${args[i]}": expected ${[...family.labels, ...(family.loc ? ['loc'] : [])].join(', ')} or a percentile`,
      );
    if (named.has(index)) return fail(`"${args[i]}" is given twice`);
    named.set(index, value);
  }
  const solved = solve(family, named, percentiles);
  if (!solved) return fail('no distribution of this family has these parameters and percentiles');
  return solved;
}

/** The constraint rows at these shapes, or undefined where the shapes give no valid standard member. */
function rowsAt(
  family: AltFamily,
  named: Map<number, number>,
  percentiles: [number, number][],
  shapes: number[],
): Row[] | undefined {
  const standard = createDistribution(family.standard(shapes));
  if ('error' in standard) return undefined;
  const rows: Row[] = [];
  for (const [index, x] of named) {
    if (index === family.labels.length) rows.push({ a: 1, b: 0, x });
    else if (family.shapeOf[index] === undefined) {
      const [a, b] = family.coefficients(index, shapes);
      rows.push({ a, b, x });
    }
  }
  for (const [p, x] of percentiles) rows.push({ a: 1, b: standard.inverseCdf(p), x });
  // "loc" is 0 unless named or left to the percentiles (one pair more than the parameters)
  const pairs = named.size + percentiles.length;
  if (family.loc && !named.has(family.labels.length) && pairs === family.labels.length)
    rows.push({ a: 1, b: 0, x: 0 });
  if (family.unitScale) rows.push({ a: 0, b: 1, x: 1 });
  if (family.zeroLocation) rows.push({ a: 1, b: 0, x: 0 });
  return rows.every((r) => isFiniteNumber(r.b)) ? rows : undefined;
}

/** Each row scaled to unit length, so determinants compare constraints of any magnitude. */
function normalised(rows: Row[]): Row[] {
  return rows.map((r) => {
    const n = sqrt(r.a * r.a + r.b * r.b + r.x * r.x) || 1;
    return { a: r.a / n, b: r.b / n, x: r.x / n };
  });
}

function det3(r: Row, s: Row, t: Row): number {
  return r.a * (s.b * t.x - s.x * t.b) - r.b * (s.a * t.x - s.x * t.a) + r.x * (s.a * t.b - s.b * t.a);
}

/** Location and scale from the best-conditioned pair of rows. */
function locationAndScale(rows: Row[]): [number, number] | undefined {
  let best: [number, number] | undefined;
  let bestDet = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const [r, s] = [rows[i], rows[j]];
      const det = r.a * s.b - r.b * s.a;
      const norm = sqrt((r.a * r.a + r.b * r.b) * (s.a * s.a + s.b * s.b));
      if (abs(det) / norm > bestDet) {
        bestDet = abs(det) / norm;
        best = [(r.x * s.b - r.b * s.x) / det, (r.a * s.x - r.x * s.a) / det];
      }
    }
  }
  return bestDet > 1e-12 ? best : undefined;
}

function solve(
  family: AltFamily,
  named: Map<number, number>,
  percentiles: [number, number][],
): DistributionSpec | undefined {
  const shapes = family.shapes.map(() => Number.NaN);
  const unknown: number[] = [];
  family.shapes.forEach((_, j) => {
    const index = family.shapeOf.indexOf(j);
    const value = named.get(index);
    if (value === undefined) unknown.push(j);
    else shapes[j] = value;
  });
  const at = (t: number[]) => {
    const s = [...shapes];
    unknown.forEach((j, k) => {
      const range = family.shapes[j];
      s[j] = range.log ? exp(t[k]) : t[k];
    });
    return s;
  };
  const candidate = (s: number[]) => build(family, named, percentiles, s);
  if (unknown.length === 0) return candidate(shapes);
  const residuals = (t: number[]): number[] | undefined => {
    const rows = rowsAt(family, named, percentiles, at(t));
    if (!rows) return undefined;
    const n = normalised(rows);
    return unknown.map((_, k) => det3(n[0], n[1], n[2 + k]));
  };
  const ranges = unknown.map((j) => {
    const r = family.shapes[j];
    return r.log ? [log(r.lo), log(r.hi)] : [r.lo, r.hi];
  });
  if (unknown.length === 1) {
    const [lo, hi] = ranges[0];
    const f = (t: number) => residuals([t])?.[0] ?? Number.NaN;
    const steps = 600;
    let previousT = lo;
    let previous = f(lo);
    if (previous === 0) return candidate(at([lo]));
    for (let i = 1; i <= steps; i++) {
      const t = lo + ((hi - lo) * i) / steps;
      const value = f(t);
      if (value === 0) {
        const found = candidate(at([t]));
        if (found) return found;
      } else if (previous * value < 0) {
        const root = brentRoot(f, previousT, t);
        const found = isFiniteNumber(root) ? candidate(at([root])) : undefined;
        if (found) return found;
      }
      previousT = t;
      previous = value;
    }
    return undefined;
  }
  return newton2(residuals, ranges, (t) => candidate(at(t)));
}

/** Two unknown shapes: damped Newton steps on the two determinants, from a grid of starting points. */
function newton2(
  residuals: (t: number[]) => number[] | undefined,
  ranges: number[][],
  candidate: (t: number[]) => DistributionSpec | undefined,
): DistributionSpec | undefined {
  const norm = (r: number[]) => sqrt(r[0] * r[0] + r[1] * r[1]);
  const starts = [0.5, 1, 2, 4, 8].map(log);
  for (const s0 of starts) {
    for (const s1 of starts) {
      let t = [s0, s1];
      let r = residuals(t);
      for (let iteration = 0; r && iteration < 100 && norm(r) > 1e-15; iteration++) {
        const h = 1e-6;
        const columns = [0, 1].map((k) => {
          const up = residuals(t.map((v, i) => (i === k ? v + h : v)));
          const down = residuals(t.map((v, i) => (i === k ? v - h : v)));
          return up && down ? [(up[0] - down[0]) / (2 * h), (up[1] - down[1]) / (2 * h)] : undefined;
        });
        const [c0, c1] = columns;
        if (!c0 || !c1) break;
        const det = c0[0] * c1[1] - c1[0] * c0[1];
        if (!(abs(det) > 0)) break;
        const step = [(r[0] * c1[1] - c1[0] * r[1]) / det, (c0[0] * r[1] - r[0] * c0[1]) / det];
        let damping = 1;
        let next: number[] | undefined;
        let nextR: number[] | undefined;
        for (; damping > 1e-4; damping /= 2) {
          next = t.map((v, i) => v - damping * step[i]);
          nextR = next.every((v, i) => v >= ranges[i][0] && v <= ranges[i][1]) ? residuals(next) : undefined;
          if (nextR && norm(nextR) < norm(r)) break;
        }
        if (!next || !nextR || !(norm(nextR) < norm(r))) break;
        const moved = maxOf(abs(next[0] - t[0]), abs(next[1] - t[1]));
        t = next;
        r = nextR;
        if (moved < 1e-14) break;
      }
      if (r && norm(r) < 1e-10) {
        const found = candidate(t);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** The spec at these shapes if it is valid and hits every percentile (and named value), else undefined. */
function build(
  family: AltFamily,
  named: Map<number, number>,
  percentiles: [number, number][],
  shapes: number[],
): DistributionSpec | undefined {
  const rows = rowsAt(family, named, percentiles, shapes);
  const solved = rows && locationAndScale(rows);
  if (!rows || !solved) return undefined;
  const [location, scale] = solved;
  if (!(scale > 0)) return undefined;
  const { params, shift } = family.params(location, scale, shapes);
  const spec: DistributionSpec = { type: family.type, params, ...(shift ? { shift } : {}) };
  const distribution = createDistribution(spec);
  if ('error' in distribution) return undefined;
  const spread = maxOf(1, ...rows.map((r) => abs(r.x)));
  for (const r of rows) if (abs(r.a * location + r.b * scale - r.x) > 1e-10 * spread) return undefined;
  for (const [p, x] of percentiles)
    if (abs(distribution.inverseCdf(p) - x) > 1e-10 * spread) return undefined;
  return spec;
}
