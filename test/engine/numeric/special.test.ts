import {
  betaInv,
  binomialCdf,
  binomialPmf,
  erf,
  erfc,
  gammaFn,
  gammaLn,
  gammaPInv,
  normCdf,
  normInv,
  normPdf,
  poissonCdf,
  poissonPmf,
  regIncBeta,
  regIncGammaP,
  regIncGammaQ,
  studentTCdf,
  studentTInv,
} from '../../../shared/numeric/special';

function expectRel(actual: number, expected: number, tol = 1e-14): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  if (Math.abs(actual - expected) / scale > tol) {
    throw new Error(`expected ${expected}, got ${actual} (rel err ${Math.abs(actual - expected) / scale})`);
  }
}

describe('normal distribution', () => {
  it('matches reference values', () => {
    expectRel(normInv(0.975), 1.959963984540054);
    expectRel(normInv(0.025), -1.959963984540054);
    expect(normInv(0.5)).toBe(0);
    expectRel(normInv(1e-10), -6.361340902404056);
    expectRel(normCdf(1.96), 0.9750021048517795);
    expectRel(normCdf(-1), 0.15865525393145707);
    expectRel(normCdf(-10), 7.619853024160527e-24, 1e-13);
    expectRel(normPdf(0), 0.3989422804014327);
  });

  it('round-trips inverse and cdf across the whole range', () => {
    for (const p of [1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.999]) {
      expectRel(normCdf(normInv(p)), p, 1e-12); // cdf condition number ~x^2
    }
    for (let i = -100; i <= 5; i++) {
      const x = i * 0.37; // above ~2 the cdf near 1 no longer determines x precisely
      expectRel(normInv(normCdf(x)), x, i === 0 ? 0 : 1e-12);
    }
  });

  it('handles domain edges', () => {
    expect(normInv(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normInv(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normInv(-0.1)).toBeNaN();
    expect(normCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normCdf(Number.NEGATIVE_INFINITY)).toBe(0);
  });
});

describe('error function', () => {
  it('matches reference values', () => {
    expectRel(erf(0.5), 0.5204998778130465);
    expectRel(erf(1), 0.8427007929497149);
    expectRel(erf(-1), -0.8427007929497149);
    expectRel(erfc(1), 0.15729920705028513);
    expectRel(erfc(3), 0.00002209049699858544);
    expectRel(erfc(5), 1.537459794428035e-12);
    expectRel(erfc(10), 2.088487583762545e-45, 1e-13);
    expectRel(erfc(-1), 1.8427007929497148);
  });

  it('is consistent with the normal cdf on both sides of the switch points', () => {
    for (let x = -6; x <= 6; x += 0.0625) expectRel(normCdf(x), 0.5 * erfc(-x / Math.SQRT2), 1e-13);
  });
});

describe('gamma function', () => {
  it('matches reference values', () => {
    expectRel(gammaLn(0.5), Math.log(Math.sqrt(Math.PI)));
    expectRel(gammaFn(0.5), Math.sqrt(Math.PI));
    expect(gammaFn(10)).toBe(362880);
    expectRel(gammaFn(-1.5), (4 * Math.sqrt(Math.PI)) / 3);
    expectRel(gammaFn(-0.5), -2 * Math.sqrt(Math.PI));
    expectRel(gammaLn(100), 359.1342053695754);
    expectRel(gammaLn(1e6), 12815504.569147613);
    expectRel(gammaFn(4.5), 11.631728396567448);
    expect(Math.abs(gammaLn(-2.5) - Math.log((8 * Math.sqrt(Math.PI)) / 15))).toBeLessThan(1e-14);
  });

  it('satisfies the recurrence Gamma(x+1) = x Gamma(x)', () => {
    for (let x = 0.05; x < 30; x += 0.731) expectRel(gammaFn(x + 1), x * gammaFn(x), 1e-14);
    for (let x = 0.05; x < 300; x += 3.17) {
      // absolute error scales with |ln Gamma| itself
      expect(Math.abs(gammaLn(x + 1) - gammaLn(x) - Math.log(x))).toBeLessThan(1e-15 * (1 + gammaLn(x + 1)));
    }
  });

  it('is NaN at the poles', () => {
    expect(gammaFn(0)).toBeNaN();
    expect(gammaFn(-3)).toBeNaN();
    expect(gammaLn(-2)).toBeNaN();
  });
});

describe('incomplete gamma', () => {
  it('reduces to the exponential and erf', () => {
    for (const x of [0.01, 0.5, 1, 2, 5, 20]) expectRel(regIncGammaP(1, x), -Math.expm1(-x));
    for (const x of [0.01, 0.5, 1, 2, 5, 20]) expectRel(regIncGammaQ(1, x), Math.exp(-x));
    for (const x of [0.1, 0.8, 1.3, 2, 4]) expectRel(regIncGammaP(0.5, x * x), erf(x), 1e-13);
    expectRel(regIncGammaQ(0.5, 25), erfc(5), 1e-13);
  });

  it('matches the Poisson sum for integer shape', () => {
    // Q(k+1, x) = sum_{j<=k} e^-x x^j / j!
    const x = 7.5;
    let term = Math.exp(-x);
    let sum = term;
    for (let j = 1; j <= 12; j++) {
      term *= x / j;
      sum += term;
      expectRel(regIncGammaQ(j + 1, x), sum, 1e-13);
    }
  });

  it('is accurate for large shapes near the mean', () => {
    expectRel(regIncGammaP(1e4, 1e4) + regIncGammaQ(1e4, 1e4), 1, 1e-15);
    // median of Gamma(a) ~ a - 1/3: P close to 1/2
    expect(Math.abs(regIncGammaP(1e4, 1e4 - 1 / 3) - 0.5)).toBeLessThan(1e-4);
  });

  it('inverts P', () => {
    for (const a of [0.05, 0.5, 1, 2.5, 10, 300]) {
      for (const p of [1e-10, 0.001, 0.1, 0.5, 0.9, 0.999999]) {
        const x = gammaPInv(a, p);
        if (p <= 0.5) expectRel(regIncGammaP(a, x), p, 1e-12);
        else expectRel(regIncGammaQ(a, x), 1 - p, 1e-9);
      }
    }
  });
});

describe('incomplete beta', () => {
  it('matches closed forms', () => {
    expectRel(regIncBeta(0.3, 2, 5), 0.579825, 1e-14);
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      expectRel(regIncBeta(x, 1, 1), x);
      expectRel(regIncBeta(x, 3.5, 1), x ** 3.5, 1e-14);
      expectRel(regIncBeta(x, 1, 2.5), 1 - (1 - x) ** 2.5, 1e-14);
    }
  });

  it('satisfies the symmetry I_x(a,b) = 1 - I_(1-x)(b,a)', () => {
    for (const [a, b] of [
      [0.5, 0.5],
      [2, 3],
      [10, 0.7],
      [50, 80],
    ]) {
      for (const x of [0.05, 0.3, 0.5, 0.61, 0.9]) {
        expect(Math.abs(regIncBeta(x, a, b) + regIncBeta(1 - x, b, a) - 1)).toBeLessThan(1e-14);
      }
      expectRel(regIncBeta(0.5, a, a), 0.5, 1e-14);
    }
  });

  it('inverts I', () => {
    for (const [a, b] of [
      [0.5, 0.5],
      [2, 3],
      [10, 0.7],
      [0.2, 40],
      [200, 300],
    ]) {
      for (const p of [1e-8, 0.01, 0.25, 0.5, 0.8, 0.999]) {
        expectRel(regIncBeta(betaInv(p, a, b), a, b), p, 1e-11);
      }
    }
  });
});

describe('Student t', () => {
  it('matches closed forms for 1 and 2 degrees of freedom', () => {
    for (const t of [-30, -2, -0.3, 0, 0.7, 4, 100]) {
      expectRel(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-14);
      const r = Math.sqrt(2 + t * t);
      const twoDf = t < 0 ? 1 / (r * (r - t)) : 0.5 + t / (2 * r); // cancellation-free form for t < 0
      expectRel(studentTCdf(t, 2), twoDf, 1e-14);
    }
  });

  it('matches reference values', () => {
    expectRel(studentTCdf(2, 5), 0.9490302605850709, 1e-14);
    expectRel(studentTInv(0.975, 10), 2.228138851986275, 1e-13);
    expectRel(studentTInv(0.95, 30), 1.6972608865939578, 1e-13);
    expectRel(studentTInv(0.025, 10), -2.228138851986275, 1e-13);
  });

  it('tends to the normal for large df', () => {
    expect(Math.abs(studentTCdf(1.5, 1e7) - normCdf(1.5))).toBeLessThan(1e-7);
  });

  it('round-trips', () => {
    for (const df of [1, 2, 3.5, 10, 1000]) {
      for (const p of [1e-6, 0.01, 0.3, 0.5, 0.51, 0.9, 0.9999]) {
        expectRel(studentTCdf(studentTInv(p, df), df), p, 1e-12);
      }
    }
  });
});

describe('discrete cdfs', () => {
  it('binomialCdf equals the direct sum', () => {
    const n = 12;
    const p = 0.37;
    let cdf = 0;
    let c = 1;
    for (let k = 0; k <= n; k++) {
      if (k > 0) c = (c * (n - k + 1)) / k;
      cdf += c * p ** k * (1 - p) ** (n - k);
      expectRel(binomialCdf(k, n, p), cdf, 1e-13);
    }
    expect(binomialCdf(-1, n, p)).toBe(0);
    expect(binomialCdf(3.7, n, p)).toBe(binomialCdf(3, n, p));
  });

  it('poissonCdf equals the direct sum', () => {
    expectRel(poissonCdf(3, 2.5), Math.exp(-2.5) * (1 + 2.5 + 2.5 ** 2 / 2 + 2.5 ** 3 / 6), 1e-14);
    expect(poissonCdf(0, 0)).toBe(1);
  });
});

describe('discrete pmfs', () => {
  it('sum to the cdfs', () => {
    let cdf = 0;
    for (let k = 0; k <= 30; k++) {
      cdf += binomialPmf(k, 30, 0.2);
      expectRel(binomialCdf(k, 30, 0.2), cdf, 1e-13);
    }
    cdf = 0;
    for (let k = 0; k <= 40; k++) {
      cdf += poissonPmf(k, 12.5);
      expectRel(poissonCdf(k, 12.5), cdf, 1e-13);
    }
  });

  it('match closed forms', () => {
    expectRel(binomialPmf(3, 10, 0.5), 120 / 1024, 1e-14);
    expectRel(poissonPmf(2, 3), (Math.exp(-3) * 9) / 2, 1e-14);
    expectRel(poissonPmf(1e6, 1e6), 1 / Math.sqrt(2 * Math.PI * 1e6), 1e-6);
  });
});
