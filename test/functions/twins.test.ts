import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planSwap, swapFormula } from '../../shared/functions/twins';

const swapped = (formula: string, direction: 'to-mc' | 'to-risk' = 'to-mc') => {
  const swap = swapFormula(formula, direction);
  return swap.kind === 'swapped' ? swap.formula : swap.kind;
};

test('statistics and distribution functions become their MC.* twins, arguments untouched', () => {
  expect(swapped('=RiskMean(B22)')).toBe('=MC.MEAN(B22)');
  expect(swapped('=riskpercentile(Model!$B$22,0.95)')).toBe('=MC.PERCENTILE(Model!$B$22,0.95)');
  expect(swapped('=RiskPtoX(B22,0.05)')).toBe('=MC.PERCENTILE(B22,0.05)');
  expect(swapped('=RiskNormal(100,10)')).toBe('=MC.NORMAL(100,10)');
  expect(swapped("=RiskTriang(900,1000,1300)*'Other sheet'!A1")).toBe(
    "=MC.TRIANG(900,1000,1300)*'Other sheet'!A1",
  );
  expect(swapped('=RiskDiscrete({1,2,3},{0.2,0.3,0.5})')).toBe('=MC.DISCRETE({1,2,3},{0.2,0.3,0.5})');
});

test('and back to the @RISK spelling; a twin shared by two @RISK names goes back to the first', () => {
  expect(swapped('=MC.MEAN(B22)', 'to-risk')).toBe('=RiskMean(B22)');
  expect(swapped('=MC.PERCENTILE(B22,0.95)', 'to-risk')).toBe('=RiskPercentile(B22,0.95)');
  expect(swapped('=MC.TARGETD(B22,0)', 'to-risk')).toBe('=RiskTargetD(B22,0)');
  expect(swapped('=MC.LOGNORMAL(10,2)+MC.STDDEV(C3)', 'to-risk')).toBe('=RiskLognorm(10,2)+RiskStdDev(C3)');
});

test('strings and defined names that read like a function are left alone', () => {
  expect(swapped('="RiskMean(B22)"')).toBe('unchanged');
  expect(swapped('=RiskMeanTarget+1')).toBe('unchanged'); // a defined name
  expect(swapped('=CONCAT("RiskNormal(", RiskMean(B2), ")")')).toBe('=CONCAT("RiskNormal(",MC.MEAN(B2),")")');
  expect(swapped('=SUM(A1:A3)')).toBe('unchanged');
  expect(swapped('RiskMean(B22)')).toBe('unchanged'); // text, not a formula
});

test('a cell is kept whole when one of its calls has no twin, or more arguments than the twin takes', () => {
  expect(swapFormula('=RiskNormal(100,10,RiskName("Demand"))', 'to-mc')).toEqual({
    kind: 'kept',
    reason: 'RiskNormal is given more arguments than MC.NORMAL takes',
  });
  expect(swapFormula('=RiskOutput("NPV")+RiskMean(B2)', 'to-mc')).toEqual({
    kind: 'kept',
    reason: 'RISKOUTPUT has no MC.* twin',
  });
  expect(swapFormula('=RiskMean(B2,2)', 'to-mc')).toMatchObject({ kind: 'kept' }); // a simulation number
  expect(swapFormula('=MC.METALOG(A1:A3,B1:B3)', 'to-risk')).toEqual({
    kind: 'kept',
    reason: 'MC.METALOG has no @RISK twin',
  });
});

test('a swap there and back gives the formula again', () => {
  for (const formula of [
    '=RiskMean(B22)',
    '=RiskPercentileD(B22,0.1)*2',
    '=IF(RiskMax(C1)>0,RiskGamma(2,3),0)',
  ]) {
    const there = swapped(formula);
    expect(swapped(there, 'to-risk')).toBe(formula.replace(/\s/g, ''));
  }
});

test('the plan counts each function and lists its cells', () => {
  const plan = planSwap(
    [
      { address: 'Model!F2', formula: '=RiskMean(B22)' },
      { address: 'Model!F3', formula: '=RiskMean(B21)+RiskStdDev(B22)' },
      { address: 'Model!F4', formula: '="RiskMean"' },
      { address: 'Model!B22', formula: '=RiskOutput("NPV")+B21' },
    ],
    'to-mc',
  );
  expect(plan.byFunction).toEqual([
    { from: 'RiskMean', to: 'MC.MEAN', cells: ['Model!F2', 'Model!F3'] },
    { from: 'RiskStdDev', to: 'MC.STDDEV', cells: ['Model!F3'] },
  ]);
  expect(plan.changes.map((c) => c.address)).toEqual(['Model!F2', 'Model!F3']);
  expect(plan.kept).toEqual([{ address: 'Model!B22', reason: 'RISKOUTPUT has no MC.* twin' }]);
});

test('every MC.* name a swap writes is one of the add-in’s custom functions', () => {
  const source = readFileSync(join(__dirname, '../../addin/src/functions/functions.ts'), 'utf8');
  const declared = new Set([...source.matchAll(/@customfunction (\S+)/g)].map((m) => `MC.${m[1]}`));
  const written = new Set<string>();
  for (const formula of [
    '=RiskMean(A1)+RiskStdDev(A1)+RiskVariance(A1)+RiskMin(A1)+RiskMax(A1)+RiskRange(A1)+RiskSkewness(A1)',
    '=RiskKurtosis(A1)+RiskMode(A1)+RiskPercentile(A1,0.5)+RiskPercentileD(A1,0.5)+RiskTarget(A1,1)+RiskTargetD(A1,1)',
    '=RiskNormal(1,2)+RiskTriang(1,2,3)+RiskPert(1,2,3)+RiskUniform(0,1)+RiskTrigen(1,2,3,10,90)',
  ]) {
    const swap = swapFormula(formula, 'to-mc');
    if (swap.kind !== 'swapped') throw new Error(`${formula}: ${swap.kind}`);
    for (const { to } of swap.renamed) written.add(to);
  }
  expect([...written].filter((name) => !declared.has(name))).toEqual([]);
});
