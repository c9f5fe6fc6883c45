import {
  binomialMass,
  hypergeometricMass,
  poissonMass,
} from '../../../server/engine/numeric/distributions-extra';

/** Reference values computed with 50-digit arithmetic (mpmath). */
function expectRelative(actual: number, expected: number, tolerance = 1e-13) {
  expect(Math.abs(actual - expected) / expected).toBeLessThan(tolerance);
}

describe('probability masses by saddle point', () => {
  it('binomial, including huge n', () => {
    expectRelative(binomialMass(500000, 1000000, 0.5), 0.0007978843613317501);
    expectRelative(binomialMass(30, 1000000, 0.00003), 0.07263561601382174);
    expectRelative(binomialMass(2500, 10000, 0.25), 0.0092128446271744);
    expect(binomialMass(0, 10, 0)).toBe(1);
    expect(binomialMass(11, 10, 0.5)).toBe(0);
  });
  it('Poisson', () => {
    expectRelative(poissonMass(1000, 1000), 0.012614611348721499);
    expectRelative(poissonMass(3, 2.5), 0.21376301724973645);
    expectRelative(poissonMass(50000, 49000), 7.074420456534939e-8, 1e-12);
    expect(poissonMass(0, 0)).toBe(1);
  });
  it('hypergeometric', () => {
    expectRelative(hypergeometricMass(1, 4, 8, 20), 0.3632610939112487);
    expectRelative(hypergeometricMass(500, 2000, 5000, 20000), 0.021711703108298206);
    expect(hypergeometricMass(5, 4, 8, 20)).toBe(0);
  });
});
