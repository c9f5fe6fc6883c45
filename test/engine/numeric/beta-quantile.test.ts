import { fillUniform } from '../../../server/engine/sampling/philox';
import { createDistribution, type Distribution } from '../../../shared/distributions/distribution';
import { TABULATION_TOLERANCE, tabulateBetaQuantile } from '../../../shared/numeric/beta-quantile';
import { betaInv } from '../../../shared/numeric/special';

/** Uniforms from the engine's generator, plus the extremes it can produce and the median. */
function probabilities(count: number): Float64Array {
  const u = new Float64Array(count + 4);
  fillUniform(u, 7, 3, 0, count);
  u.set([2 ** -54, 2 ** -53, 0.5, 1 - 2 ** -53], count);
  return u;
}

describe('tabulated Beta quantile', () => {
  // PERT shapes (both parameters in [1, 5]), U-shaped, J-shaped and skewed Betas.
  const shapes: [number, number][] = [
    [2.5, 3.5],
    [1, 5],
    [5, 1],
    [3, 3],
    [1, 1],
    [0.5, 0.5],
    [0.2, 3],
    [2, 8],
    [30, 2],
    [0.01, 0.01],
  ];
  it.each(shapes)('Beta(%p, %p) agrees with the exact inverse within the tolerance', (a, b) => {
    const quantile = tabulateBetaQuantile(a, b);
    expect(quantile).toBeDefined();
    let worst = 0;
    for (const p of probabilities(20_000)) worst = Math.max(worst, Math.abs(quantile!(p) - betaInv(p, a, b)));
    expect(worst).toBeLessThanOrEqual(TABULATION_TOLERANCE);
  });

  it('is monotone across interval boundaries and the median', () => {
    const quantile = tabulateBetaQuantile(2.5, 3.5)!;
    let previous = 0;
    let decreases = 0;
    for (let i = 1; i < 100_000; i++) {
      const x = quantile(i / 100_000);
      if (x < previous) decreases++;
      previous = x;
    }
    expect(decreases).toBe(0);
  });

  it('declines shapes it cannot tabulate accurately, and invalid ones', () => {
    expect(tabulateBetaQuantile(500, 2)).toBeUndefined();
    expect(tabulateBetaQuantile(2000, 3000)).toBeUndefined();
    expect(tabulateBetaQuantile(0, 2)).toBeUndefined();
    expect(tabulateBetaQuantile(Number.NaN, 2)).toBeUndefined();
  });

  it('builds the table of a shape once: a model compiled again gets the same function, other shapes their own', () => {
    const first = tabulateBetaQuantile(1.7, 4.2);
    expect(first).toBeDefined();
    expect(tabulateBetaQuantile(1.7, 4.2)).toBe(first);
    const other = tabulateBetaQuantile(4.2, 1.7);
    expect(other).not.toBe(first);
    // mirrored shapes: Q(p; 4.2, 1.7) = 1 - Q(1 - p; 1.7, 4.2)
    expect(other?.(0.3)).toBeCloseTo(1 - (first?.(0.7) ?? Number.NaN), 13);
    // a shape it declined stays declined
    expect(tabulateBetaQuantile(500, 2)).toBeUndefined();
    expect(tabulateBetaQuantile(500, 2)).toBeUndefined();
  });

  it('RiskPert inputs (manyDraws) sample what the exact inverse gives, to 1e-13 of the width', () => {
    const spec = { type: 'pert' as const, params: [0.02, 0.05, 0.1] };
    const fast = createDistribution(spec, { manyDraws: true }) as Distribution;
    const exact = createDistribution(spec) as Distribution;
    for (const p of probabilities(5_000))
      expect(Math.abs(fast.inverseCdf(p) - exact.inverseCdf(p))).toBeLessThanOrEqual(
        0.08 * TABULATION_TOLERANCE,
      );
  });
});
