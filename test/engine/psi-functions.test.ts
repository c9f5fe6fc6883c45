/**
 * Analytic Solver workbooks (issue 15, item 7): Psi* distributions, PsiOutput and the Psi statistics run as
 * the @RISK functions they are equivalent to. A model written with Psi functions must sample exactly what
 * the same model written with Risk functions samples (same seed, bit for bit: the arguments reach the
 * same parameters in the same order), and a Psi or Crystal Ball function with no equivalent is refused
 * before a run under its own name.
 */
import { scanModel } from '../../addin/src/model/scan';
import { riskOutputs } from '../../server/cli/simulate';
import { EngineError } from '../../server/engine/errors';
import { recalculate } from '../../server/engine/recalc';
import { compile, type EngineResult, simulate } from '../../server/engine/simulate';
import { describeResults } from '../../server/engine/statistics/results';
import { PSI_DISTRIBUTIONS, PSI_PROPERTIES } from '../../shared/distributions/psi-functions';
import { parseFormula, printFormula } from '../../shared/formula';
import { translatePsiCalls } from '../../shared/functions/psi';
import { isSupportedFunction, unsupportedCalls } from '../../shared/functions/supported';
import type { CellModel, Sampling, WorkbookModel } from '../../shared/model';

const book = (cells: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Model', cells }],
  names: [],
});

/** Each input written both ways: the Psi form and the @RISK form it must sample identically to. */
const TWINS: [psi: string, risk: string][] = [
  ['PsiNormal(100,10)', 'RiskNormal(100,10)'],
  ['PsiTriangular(1,2,4)', 'RiskTriang(1,2,4)'],
  ['PsiUniform(-3,5)', 'RiskUniform(-3,5)'],
  ['PsiGeometric(0.3)', 'RiskGeomet(0.3)'],
  ['PsiPert(0,3,10)', 'RiskPert(0,3,10)'],
  ['PsiBernoulli(0.25)', 'RiskBernoulli(0.25)'],
  ['PsiBinomial(12,0.4)', 'RiskBinomial(12,0.4)'],
  ['PsiPoisson(4)', 'RiskPoisson(4)'],
  ['PsiIntUniform(3,9)', 'RiskIntUniform(3,9)'],
  ['PsiDiscrete({1,2,3},{1,1,2})', 'RiskDiscrete({1,2,3},{1,1,2})'],
  ['PsiLogNormal(10,2,PsiTruncate(7,14))', 'RiskLognorm(10,2,RiskTruncate(7,14))'],
  ['PsiLogNorm2(1,0.5)', 'RiskLognorm2(1,0.5)'],
  ['PsiBeta(2,5)', 'RiskBeta(2,5)'],
  ['PsiBetaGen(2,3,10,20)', 'RiskBetaGeneral(2,3,10,20)'],
  ['PsiGamma(2,3,PsiShift(5))', 'RiskGamma(2,3,RiskShift(5))'],
  ['PsiWeibull(2,5,PsiTruncate(,6,1))', 'RiskWeibull(2,5,RiskTruncate(,6))'],
  ['PsiStudent(5)', 'RiskStudent(5)'],
  ['PsiChiSquare(4)', 'RiskChiSq(4)'],
  ['PsiLogistic(2,0.5)', 'RiskLogistic(2,0.5)'],
  ['PsiCauchy(0,1,PsiTruncate(-10,10))', 'RiskCauchy(0,1,RiskTruncate(-10,10))'],
  ['PsiMaxExtreme(5,2)', 'RiskExtValue(5,2)'],
  ['PsiMinExtreme(5,2)', 'RiskExtValueMin(5,2)'],
  ['PsiRayleigh(3)', 'RiskRayleigh(3)'],
  ['PsiNegBinomial(3,0.4)', 'RiskNegbin(3,0.4)'],
  ['PsiNormal(0,1,PsiSeed(42))', 'RiskNormal(0,1,RiskSeed(42))'],
];

/** The inputs in column B, a correlated pair in D, and a total marked as an output in C1. */
function twinModel(form: 0 | 1): WorkbookModel {
  const cells: Record<string, CellModel> = {};
  TWINS.forEach((twin, i) => {
    cells[`B${i + 1}`] = { formula: `=${twin[form]}` };
  });
  const corr = form === 0 ? 'PsiCorrMatrix' : 'RiskCorrmat';
  const dist = form === 0 ? 'PsiNormal' : 'RiskNormal';
  Object.assign(cells, {
    F1: { value: 1 },
    G1: { value: 0.8 },
    F2: { value: 0.8 },
    G2: { value: 1 },
    D1: { formula: `=${dist}(0,1,${corr}(F1:G2,1))` },
    D2: { formula: `=${dist}(0,1,${corr}(F1:G2,2))` },
    C1: {
      formula: `=${form === 0 ? 'PsiOutput("Total")' : 'RiskOutput("Total")'}+SUM(B1:B${TWINS.length})+D1*D2`,
    },
  });
  return book(cells);
}

const TARGETS = ['Model!C1', ...TWINS.map((_, i) => `Model!B${i + 1}`), 'Model!D1', 'Model!D2'];

describe('Analytic Solver (Psi*) models run as their @RISK twins', () => {
  it.each<Sampling>(['monte_carlo', 'latin_hypercube'])(
    'the same seed gives bit-identical samples of every input and output (%s)',
    async (sampling) => {
      const request = { targets: TARGETS, iterations: 4_000, seed: 2026, sampling };
      const psi = await simulate(twinModel(0), request);
      const risk = await simulate(twinModel(1), request);
      expect(psi.outputs.map((o) => o.label)).toEqual(TARGETS);
      for (const [k, output] of psi.outputs.entries()) {
        const twin = risk.outputs[k];
        expect(output.outcomes).toEqual(twin.outcomes);
        expect(Buffer.from(output.values.buffer)).toEqual(Buffer.from(twin.values.buffer));
      }
      // Not a degenerate pass: the inputs vary, and the correlated pair is correlated.
      const total = psi.outputs[0].values;
      expect(Math.min(...total)).toBeLessThan(Math.max(...total));
      expect(correlation(psi.outputs.at(-2)!.values, psi.outputs.at(-1)!.values)).toBeGreaterThan(0.7);
    },
  );

  it('a Psi distribution has the parameters its arguments name (PsiNormal(100,10): mean 100, sd 10)', async () => {
    const result = await simulate(book({ A1: { formula: '=PsiNormal(100,10)' } }), {
      targets: ['Model!A1'],
      iterations: 20_000,
      seed: 5,
      sampling: 'latin_hypercube',
    });
    const xs = Array.from(result.outputs[0].values);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
    expect(mean).toBeCloseTo(100, 1);
    expect(sd).toBeCloseTo(10, 1);
  });

  it('recalc shows a Psi distribution at its @RISK static value (the mean)', () => {
    const recalc = recalculate(book({ A1: { formula: '=PsiTriangular(1,2,6)' } }));
    expect(recalc.cells.get('Model!A1')).toBeCloseTo(3, 12);
    expect(recalc.unsupported).toEqual([]);
  });
});

describe('PsiOutput', () => {
  const model = book({
    A1: { value: 'Profit' },
    B1: { formula: '=PsiNormal(10,1)' },
    B2: { formula: '=PsiOutput("Margin")+B1*2' },
    B3: { formula: '=B1+PsiOutput()' },
    B4: { formula: '=psisimoutput()+B1*3' },
    B5: { formula: '=B1*4' },
  });

  it("is among the CLI's default outputs, as RiskOutput is", () => {
    expect(riskOutputs(model)).toEqual(["'Model'!B2", "'Model'!B3", "'Model'!B4"]);
  });

  it("is among the pane's outputs, and Psi distributions among its inputs", () => {
    const scan = scanModel(model);
    expect(scan.outputs).toEqual([
      { cell: 'Model!B2', name: 'Margin' },
      { cell: 'Model!B3' },
      { cell: 'Model!B4' },
    ]);
    expect(scan.inputs.map((i) => [i.cell, i.function])).toEqual([['Model!B1', 'PsiNormal']]);
    expect(scan.unsupported).toEqual([]);
  });

  it('names its output, as RiskOutput("name") does', async () => {
    const result = await simulate(model, { targets: riskOutputs(model), iterations: 1_000, seed: 1 });
    expect(result.outputs.map((o) => o.name)).toEqual(['Margin', undefined, undefined]);
    // PsiOutput() adds 0: B2 is twice B1, and B3 is B1.
    expect(result.outputs[0].values[0]).toBe(2 * result.outputs[1].values[0]);
  });
});

describe('Psi statistics functions give the values of their @RISK twins', () => {
  const TWIN_STATISTICS: [psi: string, risk: string][] = [
    ['PsiMean(B1)', 'RiskMean(B1)'],
    ['PsiStdDev(B1)', 'RiskStdDev(B1)'],
    ['PsiVariance(B1)', 'RiskVariance(B1)'],
    ['PsiMin(B1)', 'RiskMin(B1)'],
    ['PsiMax(B1)', 'RiskMax(B1)'],
    ['PsiRange(B1)', 'RiskRange(B1)'],
    ['PsiSkewness(B1)', 'RiskSkewness(B1)'],
    ['PsiKurtosis(B1)', 'RiskKurtosis(B1)'],
    ['PsiMode(B2)', 'RiskMode(B2)'],
    ['PsiPercentile(B3,0.9)', 'RiskPercentile(B3,0.9)'],
    ['PsiPercentileD(B3,0.9)', 'RiskPercentileD(B3,0.9)'],
    ['PsiMedian(B3)', 'RiskPercentile(B3,0.5)'],
    ['PsiTarget(B1,105)', 'RiskTarget(B1,105)'],
    ['PsiTargetD(B1,105)', 'RiskTargetD(B1,105)'],
    ['PsiMean("Total",1)', 'RiskMean("Total",1)'],
    ['PsiMean(B1,,,,PsiTruncate(95,105))', 'RiskMean(B1,RiskTruncate(95,105))'],
    ['PsiTheoMean(B1)', 'RiskTheoMean(B1)'],
    ['PsiTheoStdDev(B2)', 'RiskTheoStdDev(B2)'],
    ['PsiTheoKurtosis(B1)', 'RiskTheoKurtosis(B1)'],
    ['PsiTheoPercentile(B1,0.9)', 'RiskTheoPercentile(B1,0.9)'],
    ['PsiTheoPtoX(B1,0.1)', 'RiskTheoPtoX(B1,0.1)'],
    ['PsiTheoMedian(PsiLogNormal(10,2))', 'RiskTheoPercentile(RiskLognorm(10,2),0.5)'],
  ];
  const cells: Record<string, CellModel> = {
    B1: { formula: '=PsiNormal(100,10)' },
    B2: { formula: '=PsiDiscrete({1,2,3},{1,1,2})' },
    B3: { formula: '=PsiOutput("Total")+B1*B2' },
  };
  TWIN_STATISTICS.forEach(([psi, risk], i) => {
    cells[`D${i + 1}`] = { formula: `=${psi}` };
    cells[`E${i + 1}`] = { formula: `=${risk}` };
  });
  let described: Awaited<ReturnType<typeof describeResults>>;
  let result: EngineResult;
  beforeAll(async () => {
    result = await simulate(book(cells), { targets: ['Model!B3'], iterations: 20_000, seed: 9 });
    described = await describeResults(result, { engine_used: 'cpu' });
  });

  it.each(TWIN_STATISTICS.map(([psi, risk], i) => [psi, risk, i + 1]))('%s = %s', (_psi, _risk, row) => {
    const got = described.cells!;
    expect(typeof got[`Model!D${row}`]).toBe('number');
    expect(got[`Model!D${row}`]).toBe(got[`Model!E${row}`]);
  });

  it('PsiMean is the mean of the simulated values, computed here from the trials', () => {
    const b1 = Array.from(result.outputs.find((o) => o.label === 'Model!B1')!.values);
    const mean = b1.reduce((a, b) => a + b, 0) / b1.length;
    expect(described.cells!['Model!D1']).toBeCloseTo(mean, 9);
  });

  it('PsiKurtosis is not the excess: a normal input reads about 3', () => {
    expect(described.cells!['Model!D8']).toBeCloseTo(3, 0);
  });
});

describe('a Psi or Crystal Ball function with no @RISK equivalent is refused before a run, by name', () => {
  const refusal = (formula: string) => {
    const model = book({ A1: { formula: '=RiskNormal(0,1)' }, B1: { formula: `=${formula}` } });
    try {
      compile(model, { targets: ['Model!B1'] });
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('unsupported-function');
      return (error as EngineError).details;
    }
    throw new Error(`expected ${formula} to be refused`);
  };

  it.each([
    ['PsiExponential(3)+A1', 'PSIEXPONENTIAL'],
    ['PsiNormalAlt(0.1,5,0.9,15)+A1', 'PSINORMALALT'],
    ['PsiNormal(0,1,PsiTruncate(-2,2,2))+A1', 'PSITRUNCATE'],
    ['PsiNormal(0,1,PsiTruncateP(0.05,0.95))+A1', 'PSITRUNCATEP'],
    ['PsiOutput(A1)', 'PSIOUTPUT'],
    ['PsiMean(A1,1,"dims")', 'PSIMEAN'],
    ['CB.GetForeStatFN(A1,2)', 'CB.GETFORESTATFN'],
    ['CB.GetAssumPercentFN(A1,50)+A1', 'CB.GETASSUMPERCENTFN'],
  ])('%s', (formula, name) => {
    expect(refusal(formula)).toEqual({ functions: [{ name, cells: ['Model!B1'], more: 0 }] });
  });

  it('the pane lists the same names before Run', () => {
    const formula = parseFormula('PsiExponential(3)+PsiNormal(0,1)+CB.GetForeStatFN(A1,2)');
    expect(unsupportedCalls(formula).sort()).toEqual(['CB.GETFORESTATFN', 'PSIEXPONENTIAL']);
  });
});

describe('translatePsiCalls', () => {
  const translated = (formula: string) => printFormula(translatePsiCalls(parseFormula(formula)));

  it('renames distributions and properties and keeps their arguments in order', () => {
    expect(translated('PsiBetaGen(2,3,A1,B1,PsiShift(1),PsiSeed(7))')).toBe(
      'RISKBETAGENERAL(2,3,A1,B1,RISKSHIFT(1),RISKSEED(7))',
    );
  });

  it("drops PsiTruncate's type 1 and the statistics' empty dimensional arguments", () => {
    expect(translated('PsiNormal(0,1,PsiTruncate(-1,1,1))')).toBe('RISKNORMAL(0,1,RISKTRUNCATE(-1,1))');
    expect(translated('PsiPercentile(A1,0.95,1,,,PsiTruncate(0,))')).toBe(
      'RISKPERCENTILE(A1,0.95,1,RISKTRUNCATE(0,))',
    );
  });

  it('leaves a formula without Psi calls as it is (the same tree)', () => {
    const tree = parseFormula('RiskNormal(0,1)+SUM(A1:A3)');
    expect(translatePsiCalls(tree)).toBe(tree);
  });

  it('maps every Psi function onto a function the engine implements', () => {
    const targets = [...PSI_DISTRIBUTIONS.values(), ...[...PSI_PROPERTIES.values()].map((p) => p.risk)];
    expect(targets.filter((name) => !isSupportedFunction(name))).toEqual([]);
  });
});

function correlation(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
