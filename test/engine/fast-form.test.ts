/**
 * The CPU kernel's fast form (numbers as doubles, errors as non-finite values) must give exactly what
 * the general form (Excel's operators on any value) gives: every value bit for bit, every error code.
 * The formulas below aim at the places where IEEE arithmetic and Excel part ways.
 */
import { CpuKernel } from '../../server/engine/backends/cpu/kernel';
import { NumericTyping } from '../../server/engine/backends/cpu/numeric-typing';
import { OUTCOME_CODES } from '../../server/engine/backends/cpu/runtime';
import { compile, uniformSource } from '../../server/engine/simulate';
import type { CellModel, WorkbookModel } from '../../shared/model';

const TRIALS = 4_000;

const formulas: Record<string, string> = {
  divideByZeroSometimes: '=1/(ROUND(A1*4,0)-2)',
  iferror: '=IFERROR(A1/(ROUND(A1,0)-1), 5) + IFERROR(1/(A2-A2), -1)',
  errorDividedAway: '=A1/(1/(A2-A2))',
  minOfError: '=MIN(A1/(ROUND(A1,0)), 3, A2)',
  maxOverflow: '=MAX(A1, 1E308*(A2+1)*10)',
  comparedError: '=IF(1/(ROUND(A1,0))>1, 1, 2)',
  branch: '=IF(A1>0.5, 1/A1, -A1)',
  negativeRoot: '=(A1-0.5)^0.5',
  zeroPower: '=0^(A1-0.5) + (A1*0)^(A2-0.5)',
  smallPowers: '=(A1-0.5)^0 + (A2*1E154)^2 + (A1-0.3)^1 + (ROUND(A2,0))^0 + (A1*0)^2',
  expOfError: '=EXP(-1/(ROUND(A1,0)))',
  logs: '=LN(A1-0.5) + SQRT(A2-0.5) + ABS(A1-A2)',
  irr: '=IRR(B1:B4)',
  irrGuess: '=IRR(B1:B4, A2-0.5)',
  npv: '=NPV(A1-0.9, B1:B4, 7)',
  pv: '=PV(A1/10, 10, -100) + PV(0, 5, A2, 3, 1)',
  choose: '=CHOOSE(A1*4+1, 10, A2, 30)',
  sumSkipsText: '=SUM(C1:C4) + SUM(A1, A2) + SUM(C1:C4, B1:B2)',
  emptyMin: '=MIN(C2:C3) + MAX(C2)',
  negatePercent: '=-A1 + A2% - (A1-A1)',
  deterministicCondition: '=IF(D1, A1, 0) + IF(D2, 0, A2)',
  ifnaOfNumber: '=IFNA(1/(ROUND(A1,0)), 7)',
  booleanArithmetic: '=A1*(A2>0.5)',
  textOutcome: '=IF(A1>0.7, "high", A1)',
  overflowSum: '=SUM(1E308*A1, 1E308*A2)',
  pureError: '=IF(A1>0.3, NA(), A1)',
  irrLowGuess: '=IRR(B1:B4, A2*3-2.5)',
  discounted: '=SUM(B1:B4)/(1+A1)^3 - 1/(A2-0.5)^-1',
  literalDivisors: '=1/(ROUND(A1,0))/4 + (A2*1E308)/0.5 + A1/1E-300 - (A2-0.5)/-3',
  wholePowers: '=(A1-0.5)^3 + (1/(ROUND(A1,0)))^5 + (A2*1E100)^4 + (A1*0)^7 + (1+A2)^64',
};

function model(): WorkbookModel {
  const cells: Record<string, CellModel> = {
    A1: { formula: '=RAND()' },
    A2: { formula: '=RiskUniform(0,1)' },
    B1: { formula: '=20-100*A1' },
    B2: { formula: '=60*A2-10' },
    B3: { value: 'skipped text' },
    B4: { formula: '=70*A1' },
    C1: { value: 5 },
    C2: { value: 'text' },
    C3: { value: null },
    C4: { value: true },
    D1: { formula: '=1<2' },
    D2: { value: false },
  };
  Object.values(formulas).forEach((formula, i) => {
    cells[`E${i + 1}`] = { formula };
  });
  return { version: 1, sheets: [{ name: 'Sheet1', cells }], names: [] };
}

function run(fastForm: boolean) {
  const targets = Object.keys(formulas).map((_, i) => `E${i + 1}`);
  const compiled = compile(model(), { targets });
  const kernel = new CpuKernel(compiled, uniformSource(11, 'monte_carlo', TRIALS), 11, TRIALS, { fastForm });
  const buffers = {
    values: targets.map(() => new Float64Array(TRIALS)),
    outcomes: targets.map(() => new Uint8Array(TRIALS)),
    inputSamples: compiled.program.inputs.map(() => new Float64Array(TRIALS)),
    recordLimit: TRIALS,
  };
  kernel.runTrials(buffers, 0, TRIALS, 0);
  return { compiled, buffers };
}

describe('the fast form of the CPU kernel', () => {
  const general = run(false);
  const fast = run(true);

  it.each(Object.keys(formulas).map((name, j) => [name, j] as const))(
    '%s: same values and error codes as the general form',
    (_name, j) => {
      const differences: string[] = [];
      for (let t = 0; t < TRIALS && differences.length < 3; t++) {
        const a = general.buffers.values[j][t];
        const b = fast.buffers.values[j][t];
        const ea = general.buffers.outcomes[j][t];
        const eb = fast.buffers.outcomes[j][t];
        if (!Object.is(a, b) || ea !== eb) differences.push(`trial ${t}: ${a} (${ea}) vs ${b} (${eb})`);
      }
      expect(differences).toEqual([]);
    },
  );

  it('takes the numeric formulas into the fast form, and the others not', () => {
    const typing = new NumericTyping(fast.compiled.program);
    const numeric = fast.compiled.program.outputs.map((o) => typing.isNumber(o.expr));
    const names = Object.keys(formulas);
    const general = names.filter((_, j) => !numeric[j]);
    expect(general.sort()).toEqual(['booleanArithmetic', 'ifnaOfNumber', 'pureError', 'textOutcome']);
  });

  it('records an error without the general form only where one kind of error is possible', () => {
    const typing = new NumericTyping(fast.compiled.program);
    const names = Object.keys(formulas);
    const sole = (name: string) => typing.soleError(fast.compiled.program.outputs[names.indexOf(name)].expr);
    const NUM = OUTCOME_CODES.indexOf('#NUM!');
    expect(sole('irr')).toBe(NUM);
    expect(sole('overflowSum')).toBe(NUM);
    // (1+A1)^3 is never 0; A2-0.5 can be 0 to the power -1 (#DIV/0!).
    expect(sole('discounted')).toBeUndefined();
    expect(sole('irrLowGuess')).toBeUndefined(); // the guess can be -1 or less: #VALUE!
    expect(sole('divideByZeroSometimes')).toBeUndefined();
  });

  it('types a long chain of cells without deep recursion (a running balance divided at the end)', () => {
    const cells: Record<string, CellModel> = { A1: { formula: '=RAND()+1' }, B1: { formula: '=A1' } };
    for (let r = 2; r <= 20_000; r++) cells[`B${r}`] = { formula: `=B${r - 1}+1` };
    cells.C1 = { formula: '=1/B20000' };
    const compiled = compile(
      { version: 1, sheets: [{ name: 'Sheet1', cells }], names: [] },
      { targets: ['C1'] },
    );
    const typing = new NumericTyping(compiled.program);
    // The chain stays at least 1 (a positive divisor): the only error left is an overflow's #NUM!.
    expect(typing.soleError(compiled.program.outputs[0].expr)).toBe(OUTCOME_CODES.indexOf('#NUM!'));
  });

  it('meets errors in the trials (the comparison is not vacuous)', () => {
    const names = Object.keys(formulas);
    for (const name of [
      'divideByZeroSometimes',
      'negativeRoot',
      'zeroPower',
      'choose',
      'overflowSum',
      'irr',
      'irrLowGuess',
      'smallPowers',
    ]) {
      const outcomes = general.buffers.outcomes[names.indexOf(name)];
      expect(outcomes.some((o) => o !== 0)).toBe(true);
      expect(outcomes.some((o) => o === 0)).toBe(true);
    }
  });
});
