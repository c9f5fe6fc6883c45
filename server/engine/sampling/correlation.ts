/**
 * Correlated inputs: validation of correlation matrices and Iman–Conover rank correlation.
 *
 * Iman–Conover (1982) reorders, within a block of trials, each input's independently drawn
 * samples so that their rank correlation approaches the target; marginals (and any Latin
 * hypercube stratification) are untouched. Blocks are fixed ranges of trial indices
 * (CORRELATION_BLOCK_SIZE), and the random score permutations are keyed by the block's trial
 * indices, so the result does not depend on how a run is chunked as long as the kernel
 * evaluates whole blocks.
 *
 * Not positive semi-definite matrices are adjusted (eigenvalues clipped, then rescaled to a
 * unit diagonal) and reported with a warning, as @RISK offers to do.
 */

import { normInv } from '../../../shared/numeric/special';
import { argsort } from '../statistics/ranks';
import { uniform } from './philox';

export const CORRELATION_BLOCK_SIZE = 4096;

/** Trials [start, end) of correlation block `block` in a run of totalTrials trials. */
export function correlationBlockRange(block: number, totalTrials: number): [number, number] {
  const start = block * CORRELATION_BLOCK_SIZE;
  return [start, Math.min(totalTrials, start + CORRELATION_BLOCK_SIZE)];
}

export function correlationBlockOf(trial: number): number {
  return Math.floor(trial / CORRELATION_BLOCK_SIZE);
}

/** A validated k x k correlation matrix (row-major) with its lower Cholesky factor. */
export interface CorrelationMatrix {
  readonly size: number;
  readonly values: Float64Array;
  readonly cholesky: Float64Array;
}

const SYMMETRY_TOLERANCE = 1e-9;
const PIVOT_TOLERANCE = 1e-10;
const MIN_EIGENVALUE = 1e-8;

/**
 * Lower-triangular L with L L' = a (k x k, row-major), allowing zero pivots so that
 * semi-definite matrices (perfectly correlated inputs) factor too; null if a is not PSD.
 */
export function choleskyLower(a: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let pivot = a[j * k + j];
    for (let m = 0; m < j; m++) pivot -= l[j * k + m] * l[j * k + m];
    if (pivot < -PIVOT_TOLERANCE) return null;
    const d = pivot > PIVOT_TOLERANCE ? Math.sqrt(pivot) : 0;
    l[j * k + j] = d;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
      if (d === 0) {
        if (Math.abs(s) > 1e-7) return null; // a zero pivot needs a zero column below it
        l[i * k + j] = 0;
      } else l[i * k + j] = s / d;
    }
  }
  return l;
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: a = V diag(values) V'. */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += m[p * k + q] * m[p * k + q];
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          // columns p and q of m
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          // rows p and q of m
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
  return { values, vectors: v };
}

/** A nearby PSD correlation matrix: negative eigenvalues clipped, then rescaled to a unit diagonal. */
function adjustToPsd(a: Float64Array, k: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, k);
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let e = 0; e < k; e++)
        s += vectors[i * k + e] * Math.max(values[e], MIN_EIGENVALUE) * vectors[j * k + e];
      out[i * k + j] = s;
    }
  }
  const scale = new Float64Array(k);
  for (let i = 0; i < k; i++) scale[i] = 1 / Math.sqrt(out[i * k + i]);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) out[i * k + j] = i === j ? 1 : out[i * k + j] * scale[i] * scale[j];
  }
  return out;
}

/**
 * Checks a correlation matrix: square, symmetric, unit diagonal, entries in [-1, 1]. A matrix
 * that is not positive semi-definite is replaced by a nearby PSD one, with a warning.
 */
export function validateCorrelationMatrix(
  rows: ReadonlyArray<ReadonlyArray<number>>,
): { matrix: CorrelationMatrix; warning?: string } | { error: string } {
  const k = rows.length;
  if (k === 0) return { error: 'correlation matrix is empty' };
  const values = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    if (rows[i].length !== k)
      return {
        error: `correlation matrix must be square, row ${i + 1} has ${rows[i].length} entries for ${k} rows`,
      };
    for (let j = 0; j < k; j++) {
      const v = rows[i][j];
      if (!Number.isFinite(v) || v < -1 || v > 1) {
        return { error: `correlation matrix entry (${i + 1}, ${j + 1}) must be between -1 and 1, got ${v}` };
      }
      values[i * k + j] = v;
    }
  }
  for (let i = 0; i < k; i++) {
    if (values[i * k + i] !== 1)
      return { error: `correlation matrix diagonal entry ${i + 1} must be 1, got ${values[i * k + i]}` };
    for (let j = 0; j < i; j++) {
      if (Math.abs(values[i * k + j] - values[j * k + i]) > SYMMETRY_TOLERANCE) {
        return {
          error: `correlation matrix is not symmetric: entry (${i + 1}, ${j + 1}) differs from (${j + 1}, ${i + 1})`,
        };
      }
      values[j * k + i] = values[i * k + j];
    }
  }
  const cholesky = choleskyLower(values, k);
  if (cholesky) return { matrix: { size: k, values, cholesky } };
  const adjusted = adjustToPsd(values, k);
  let largest = 0;
  for (let i = 0; i < k * k; i++) largest = Math.max(largest, Math.abs(adjusted[i] - values[i]));
  return {
    matrix: { size: k, values: adjusted, cholesky: choleskyLower(adjusted, k) ?? identity(k) },
    warning: `correlation matrix is not positive semi-definite (inconsistent correlations); it was adjusted to the nearest consistent matrix found (largest change ${largest.toPrecision(3)})`,
  };
}

/**
 * The whole correlation matrix from one written as @RISK takes it: in full, or only its lower or upper
 * triangle with the other half blank (null). A blank entry takes its mirror's value; both blank is an
 * error, and so is a blank diagonal.
 */
export function mirroredMatrix(
  rows: ReadonlyArray<ReadonlyArray<number | null>>,
): number[][] | { error: string } {
  const full: number[][] = [];
  for (const [i, row] of rows.entries()) {
    full.push([]);
    for (const [j, entry] of row.entries()) {
      const value = entry ?? rows[j]?.[i] ?? null;
      if (value === null)
        return { error: `correlation matrix entry (${i + 1}, ${j + 1}) and its mirror are both blank` };
      full[i].push(value);
    }
  }
  return full;
}

function hasPositiveDiagonal(l: Float64Array, k: number): boolean {
  for (let i = 0; i < k; i++) if (!(l[i * k + i] > 0)) return false;
  return true;
}

function identity(k: number): Float64Array {
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) m[i * k + i] = 1;
  return m;
}

/** Van der Waerden scores Phi^-1(i / (n+1)), i = 1..n, as k independently shuffled columns (n x k, row-major). */
function shuffledScores(n: number, k: number, seed: number, group: number, firstTrial: number): Float64Array {
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = normInv((i + 1) / (n + 1));
  const s = new Float64Array(n * k);
  const column = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    column.set(scores);
    for (let i = n - 1; i > 0; i--) {
      // Fisher–Yates, the swap partner drawn from the block's own trial counters
      const r = Math.floor(uniform(seed, group, firstTrial + i, 1 + j) * (i + 1));
      const tmp = column[i];
      column[i] = column[r];
      column[r] = tmp;
    }
    for (let i = 0; i < n; i++) s[i * k + j] = column[i];
  }
  return s;
}

/** Sample correlation matrix of the columns of an n x k row-major matrix. */
function columnCorrelation(s: Float64Array, n: number, k: number): Float64Array {
  const mean = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j] += s[i * k + j] / n;
  const cov = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const da = s[i * k + a] - mean[a];
      for (let b = 0; b <= a; b++) cov[a * k + b] += da * (s[i * k + b] - mean[b]);
    }
  }
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      const r = cov[a * k + b] / Math.sqrt(cov[a * k + a] * cov[b * k + b]);
      out[a * k + b] = r;
      out[b * k + a] = r;
    }
  }
  return out;
}

/** M = F^-T P^T for lower-triangular F (solving F^T M = P^T column by column). */
function mixingMatrix(f: Float64Array, p: Float64Array, k: number): Float64Array {
  const m = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let r = k - 1; r >= 0; r--) {
      let s = p[c * k + r]; // (P^T)[r][c]
      for (let q = r + 1; q < k; q++) s -= f[q * k + r] * m[q * k + c]; // (F^T)[r][q] = F[q][r]
      m[r * k + c] = s / f[r * k + r];
    }
  }
  return m;
}

/**
 * Reorders, in place, the samples of one correlation block (columns[j][i] = input j at trial
 * firstTrial + i) so that their rank correlations approach target. `group` identifies the
 * correlated group (use a stream id not used by any input) and keys the score shuffles.
 */
export function imanConover(
  columns: Float64Array[],
  target: CorrelationMatrix,
  seed: number,
  group: number,
  firstTrial: number,
): void {
  const k = columns.length;
  if (k !== target.size)
    throw new Error(`imanConover: ${k} columns for a ${target.size} x ${target.size} matrix`);
  const n = k > 0 ? columns[0].length : 0;
  if (k < 2 || n < 3) return;
  const s = shuffledScores(n, k, seed, group, firstTrial);
  // remove the scores' own chance correlation (F) before imposing the target (P)
  const f = choleskyLower(columnCorrelation(s, n, k), k);
  const m = mixingMatrix(f && hasPositiveDiagonal(f, k) ? f : identity(k), target.cholesky, k);
  const t = new Float64Array(n);
  const sorted = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let q = 0; q < k; q++) v += s[i * k + q] * m[q * k + j];
      t[i] = v;
    }
    // the r-th smallest sample goes to the trial holding the r-th smallest target score
    const order = argsort(t);
    sorted.set(columns[j]);
    sorted.sort();
    for (let r = 0; r < n; r++) columns[j][order[r]] = sorted[r];
  }
}
