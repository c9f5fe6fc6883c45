import {
  CORRELATION_BLOCK_SIZE,
  type CorrelationMatrix,
  correlationBlockRange,
  imanConover,
  symmetricEigen,
  validateCorrelationMatrix,
} from '../../../server/engine/sampling/correlation';
import { fillUniform } from '../../../server/engine/sampling/philox';
import { spearman } from '../../../server/engine/statistics/ranks';
import { createDistribution, type Distribution } from '../../../shared/distributions/distribution';

const TARGET = [
  [1, 0.8, -0.5],
  [0.8, 1, -0.3],
  [-0.5, -0.3, 1],
];

function matrix(rows: number[][]): CorrelationMatrix {
  const r = validateCorrelationMatrix(rows);
  if ('error' in r) throw new Error(r.error);
  return r.matrix;
}

const INPUTS = [
  { type: 'normal', params: [0, 1] },
  { type: 'lognormal', params: [10, 4] },
  { type: 'uniform', params: [0, 1] },
].map((spec) => createDistribution(spec as never) as Distribution);

/** Samples of the inputs for trials [start, end), correlated block by block. */
function simulate(seed: number, start: number, end: number, total: number): Float64Array[] {
  const columns = INPUTS.map((dist, stream) => {
    const column = new Float64Array(end - start);
    fillUniform(column, seed, stream, start, end);
    for (let i = 0; i < column.length; i++) column[i] = dist.inverseCdf(column[i]);
    return column;
  });
  const target = matrix(TARGET);
  for (let block = start / CORRELATION_BLOCK_SIZE; block * CORRELATION_BLOCK_SIZE < end; block++) {
    const [from, to] = correlationBlockRange(block, total);
    const views = columns.map((c) => c.subarray(from - start, to - start));
    imanConover(views, target, seed, 1000, from);
  }
  return columns;
}

describe('correlation matrix validation', () => {
  it('accepts a valid matrix and factors it', () => {
    const m = matrix(TARGET);
    expect(m.size).toBe(3);
    expect(m.cholesky[0]).toBe(1);
  });

  it('accepts perfectly correlated (semi-definite) inputs', () => {
    const r = validateCorrelationMatrix([
      [1, 1],
      [1, 1],
    ]);
    expect('matrix' in r && r.warning === undefined).toBe(true);
  });

  it('rejects malformed matrices with clear messages', () => {
    const error = (rows: number[][]) => {
      const r = validateCorrelationMatrix(rows);
      return 'error' in r ? r.error : '';
    };
    expect(error([[1, 0.5]])).toMatch(/square/);
    expect(
      error([
        [1, 0.5],
        [0.4, 1],
      ]),
    ).toMatch(/not symmetric/);
    expect(
      error([
        [0.9, 0.5],
        [0.5, 1],
      ]),
    ).toMatch(/diagonal/);
    expect(
      error([
        [1, 1.5],
        [1.5, 1],
      ]),
    ).toMatch(/between -1 and 1/);
  });

  it('adjusts a non-PSD matrix to a nearby PSD one, with a warning', () => {
    const r = validateCorrelationMatrix([
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ]);
    if (!('matrix' in r)) throw new Error('expected an adjusted matrix');
    expect(r.warning).toMatch(/not positive semi-definite/);
    const { values } = symmetricEigen(r.matrix.values, 3);
    expect(Math.min(...values)).toBeGreaterThan(-1e-9);
    for (let i = 0; i < 3; i++) expect(r.matrix.values[i * 4]).toBe(1);
  });

  it('diagonalises symmetric matrices', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(a, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let e = 0; e < 3; e++) s += vectors[i * 3 + e] * values[e] * vectors[j * 3 + e];
        expect(s).toBeCloseTo(a[i * 3 + j], 10);
      }
    }
  });
});

describe('Iman–Conover', () => {
  it('reaches the target rank correlations within 0.03 on 10,000 samples', () => {
    const columns = simulate(7, 0, 10_000, 10_000);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < i; j++)
        expect(Math.abs(spearman(columns[i], columns[j]) - TARGET[i][j])).toBeLessThan(0.03);
    }
  });

  it('preserves each input’s samples (only their order changes)', () => {
    const independent = new Float64Array(5000);
    fillUniform(independent, 7, 2, 0, 5000);
    const correlated = simulate(7, 0, 5000, 5000)[2];
    expect(Float64Array.from(correlated).sort()).toEqual(independent.sort());
  });

  it('gives the same samples whatever the chunking, chunks being whole blocks', () => {
    const total = 3 * CORRELATION_BLOCK_SIZE + 500;
    const whole = simulate(3, 0, total, total);
    const first = simulate(3, 0, 2 * CORRELATION_BLOCK_SIZE, total);
    const rest = simulate(3, 2 * CORRELATION_BLOCK_SIZE, total, total);
    for (let j = 0; j < 3; j++) {
      const joined = new Float64Array(total);
      joined.set(first[j]);
      joined.set(rest[j], 2 * CORRELATION_BLOCK_SIZE);
      expect(joined).toEqual(whole[j]);
    }
  });
});
