/**
 * compile/backend-support.ts is the one list of what each compiled backend runs: every function and
 * operator it marks for a backend is accepted by that backend, every other backend refuses it with the
 * one BackendUnsupported naming it and the cell (the CPU fast form leaves it to the general form).
 */
import { NumericTyping } from '../../server/engine/backends/cpu/numeric-typing';
import { generateCudaKernel } from '../../server/engine/backends/cuda/codegen';
import { translateProgram } from '../../server/engine/backends/tfjs/translate';
import {
  type Backend,
  FUNCTION_SUPPORT,
  OPERATOR_SUPPORT,
} from '../../server/engine/compile/backend-support';
import { BackendUnsupported } from '../../server/engine/compile/backend-unsupported';
import { compile } from '../../server/engine/simulate';
import { book } from '../gpu-codegen/models';

/** A random cell A1, constants in B1:B3 and an ascending lookup table D1:E3 for the formulas below. */
const CELLS = {
  A1: { formula: '=RiskUniform(1,2)' },
  B1: { value: 3 },
  B2: { value: 4 },
  B3: { value: 5 },
  C1: { formula: '=-10*A1' },
  C2: { value: 3 },
  C3: { value: 4 },
  C4: { value: 5 },
  D1: { value: 1 },
  D2: { value: 1.5 },
  D3: { value: 2 },
  E1: { value: 10 },
  E2: { value: 20 },
  E3: { value: 30 },
};

/** One formula per function of the table, in the table's argument forms (C1:C4 holds cash flows). */
const FUNCTION_EXAMPLES: Record<string, string> = {
  SUM: '=SUM(A1,B1:B3)',
  MIN: '=MIN(A1,B1:B3)',
  MAX: '=MAX(A1,B1:B3)',
  ABS: '=ABS(A1-1.5)',
  SQRT: '=SQRT(A1)',
  EXP: '=EXP(A1)',
  LN: '=LN(A1)',
  PV: '=PV(0.05,10,A1)',
  NPV: '=NPV(0.1,A1,B1:B3)',
  IRR: '=IRR(C1:C4)',
  ROUND: '=ROUND(A1,1)',
  ROUNDUP: '=ROUNDUP(A1,1)',
  ROUNDDOWN: '=ROUNDDOWN(A1,1)',
  VLOOKUP: '=VLOOKUP(A1,D1:E3,2,TRUE)',
  MATCH: '=MATCH(A1,D1:D3,1)',
  INDEX: '=INDEX(E1:E3,MATCH(A1,D1:D3,1))',
};

/** Operators some backend refuses, each with a formula using it and its name in the table. */
const OPERATOR_EXAMPLES: [keyof typeof OPERATOR_SUPPORT, string][] = [
  ['cat', '=A1&"x"'],
  ['ifna', '=IFNA(A1,0)'],
  ['let', '=LET(x,A1,x*2)'],
];

const CELL = 'Sheet1!F1';

/** How each backend answers a one-output model: accepted, or the error it refuses it with. */
function verdict(backend: Backend, formula: string): 'accepted' | 'refused' | BackendUnsupported {
  const compiled = compile(book({ ...CELLS, F1: { formula } }), { targets: ['F1'] });
  const program = compiled.program;
  switch (backend) {
    case 'cpu-fast':
      // The fast form has no error of its own: what it cannot compute goes to the general form.
      return new NumericTyping(program).isNumber(program.outputs[0].expr) ? 'accepted' : 'refused';
    case 'cuda': {
      const generated = generateCudaKernel(program);
      return 'unsupported' in generated ? generated.unsupported : 'accepted';
    }
    case 'tfjs':
      try {
        translateProgram(program, (ref) => compiled.interpreter.referenceValuesComputed(ref));
        return 'accepted';
      } catch (error) {
        if (error instanceof BackendUnsupported) return error;
        throw error;
      }
  }
}

const BACKENDS: Backend[] = ['cpu-fast', 'cuda', 'tfjs'];

describe('the backend table', () => {
  it('has an example for each of its functions', () => {
    expect(Object.keys(FUNCTION_EXAMPLES).sort()).toEqual(Object.keys(FUNCTION_SUPPORT).sort());
  });

  const functionCases = Object.entries(FUNCTION_SUPPORT).flatMap(([fn, support]) =>
    BACKENDS.map((backend): [string, Backend, boolean] => [fn, backend, support.backends.includes(backend)]),
  );
  it.each(functionCases)('%s on %s: supported = %s', (fn, backend, supported) => {
    const answer = verdict(backend, FUNCTION_EXAMPLES[fn]);
    if (supported) expect(answer).toBe('accepted');
    else if (backend === 'cpu-fast') expect(answer).toBe('refused');
    else expect(answer).toMatchObject({ backend, construct: fn, cell: CELL });
  });

  const operatorCases = OPERATOR_EXAMPLES.flatMap(([op, formula]) =>
    BACKENDS.map((backend): [string, string, Backend, boolean] => [
      op,
      formula,
      backend,
      OPERATOR_SUPPORT[op].backends.includes(backend),
    ]),
  );
  it.each(operatorCases)('%s (%s) on %s: supported = %s', (op, formula, backend, supported) => {
    const answer = verdict(backend, formula);
    if (supported) expect(answer).toBe('accepted');
    else if (backend === 'cpu-fast') expect(answer).toBe('refused');
    else
      expect(answer).toMatchObject({
        backend,
        construct: OPERATOR_SUPPORT[op as keyof typeof OPERATOR_SUPPORT].name,
        cell: CELL,
      });
  });

  it('names the backend, the function and the cell in one message', () => {
    expect(verdict('cuda', '=OFFSET(A1,0,0)+1')).toMatchObject({
      message: 'the CUDA backend does not support OFFSET (Sheet1!F1)',
      code: 'gpu-unsupported',
    });
    expect(verdict('tfjs', FUNCTION_EXAMPLES.ROUND)).toMatchObject({
      message: 'the tfjs backend does not support ROUND (Sheet1!F1)',
    });
  });

  it("names the refused function inside a branch, not the branches' types it leaves unknown", () => {
    expect(verdict('cuda', '=IF(A1>1.5,VLOOKUP(A1,D1:E3,2,TRUE),TRUE)')).toMatchObject({
      construct: 'VLOOKUP',
    });
  });
});

describe('distributions on the compiled backends', () => {
  // The CUDA generator computes only the inverse cdfs it has its own code for; any other continuous
  // distribution is refused with the one backend error (so `auto` runs it on the CPU), never miscomputed.
  const continuous: [string, string][] = [
    ['logistic', 'RiskLogistic(10,2)'],
    ['laplace', 'RiskLaplace(10,3)'],
    ['cauchy', 'RiskCauchy(5,2)'],
    ['rayleigh', 'RiskRayleigh(3)'],
    ['pareto', 'RiskPareto(10,2)'],
    ['pareto2', 'RiskPareto2(4,10)'],
    ['extvalue', 'RiskExtValue(10,2)'],
    ['extvaluemin', 'RiskExtValueMin(10,2)'],
    ['loglogistic', 'RiskLogLogistic(5,2,10)'],
    ['reciprocal', 'RiskReciprocal(1,100)'],
    ['kumaraswamy', 'RiskKumaraswamy(2,5,0,10)'],
    ['erlang', 'RiskErlang(3,10)'],
    ['chisq', 'RiskChiSq(4)'],
    ['frechet', 'RiskFrechet(5,2,6)'],
    ['levy', 'RiskLevy(1,2)'],
    ['hypsecant', 'RiskHypSecant(10,2)'],
    ['dagum', 'RiskDagum(1,2,10,2)'],
    ['burr12', 'RiskBurr12(1,2,10,2)'],
    ['fatiguelife', 'RiskFatigueLife(2,3,0.5)'],
    ['erf', 'RiskErf(0.5)'],
    ['johnsonsu', 'RiskJohnsonSU(0.5,2,10,3)'],
    ['johnsonsb', 'RiskJohnsonSB(0.5,2,0,100)'],
    ['pearson5', 'RiskPearson5(6,50)'],
    ['pearson6', 'RiskPearson6(2,2,6)'],
    ['f', 'RiskF(4,10)'],
    ['doubletriang', 'RiskDoubleTriang(0,40,100,0.3)'],
    ['trigen', 'RiskTrigen(10,20,30,10,90)'],
    ['invgauss', 'RiskInvGauss(10,30)'],
    ['betasubj', 'RiskBetaSubj(0,3,4,12)'],
    ['histogrm', 'RiskHistogrm(10,20,{1,2,3,2,1})'],
    ['cumuld', 'RiskCumulD(0,10,{1,5,9},{0.9,0.3,0.1})'],
  ];
  it.each(continuous)('CUDA refuses the %s distribution (%s) by name; tfjs samples it', (type, call) => {
    expect(verdict('cuda', `=${call}*2`)).toMatchObject({
      backend: 'cuda',
      code: 'gpu-unsupported',
      construct: `the ${type} distribution`,
    });
    expect(verdict('tfjs', `=${call}*2`)).toBe('accepted');
  });

  it("CUDA samples RiskDUniform, RiskGeomet, RiskNegbin, RiskHypergeo, RiskPolya and RiskResample from the CPU backend's own table of values", () => {
    for (const call of [
      'RiskDUniform({1,2,5,10})',
      'RiskGeomet(0.2)',
      'RiskNegbin(3,0.4)',
      'RiskHypergeo(10,20,50)',
      'RiskPolya(2.5,4)',
      'RiskResample(2,{3,7,8,12,20})',
    ]) {
      expect(verdict('cuda', `=${call}*2`)).toBe('accepted');
      expect(verdict('tfjs', `=${call}*2`)).toBe('accepted');
    }
  });

  it('RiskMakeInput is the formula it wraps, on both backends', () => {
    expect(verdict('cuda', '=RiskMakeInput(RiskNormal(10,2)*3)+1')).toBe('accepted');
    expect(verdict('tfjs', '=RiskMakeInput(RiskNormal(10,2)*3)+1')).toBe('accepted');
  });

  it('CUDA refuses RiskSplice and RiskCompound by name; tfjs samples RiskSplice (by its quantile) and refuses RiskCompound', () => {
    const splice = '=RiskSplice(RiskNormal(10,2),RiskPareto(4,12),12)*2';
    const compound = '=RiskCompound(RiskPoisson(3),RiskExpon(2))*2';
    expect(verdict('cuda', splice)).toMatchObject({
      code: 'gpu-unsupported',
      construct: 'the splice distribution',
    });
    expect(verdict('tfjs', splice)).toBe('accepted');
    for (const backend of ['cuda', 'tfjs'] as const)
      expect(verdict(backend, compound)).toMatchObject({
        backend,
        code: 'gpu-unsupported',
        construct: 'the compound distribution',
      });
  });

  it('CUDA refuses an input truncated by percentiles (RiskTruncateP) as it does RiskTruncate', () => {
    expect(verdict('cuda', '=RiskNormal(10,2,RiskTruncateP(0.1,0.9))*2')).toMatchObject({
      code: 'gpu-unsupported',
      construct: 'a truncated distribution',
    });
  });
});
