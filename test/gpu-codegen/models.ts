/** Small models covering every construct the CUDA generator supports, shared by its tests. */
import { generateCudaKernel } from '../../server/engine/backends/cuda/codegen';
import { compile } from '../../server/engine/simulate';
import type { CellModel, WorkbookModel } from '../../shared/model';

export const book = (cells: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Sheet1', cells }],
  names: [],
});

export const program = (model: WorkbookModel, targets: string[]) => compile(model, { targets }).program;

export function kernel(model: WorkbookModel, targets: string[]): string {
  const result = generateCudaKernel(program(model, targets));
  if ('unsupported' in result) throw result.unsupported;
  return result.source;
}

/** Small models covering every supported distribution, operator and function. */
export const SMALL_MODELS: Record<string, [WorkbookModel, string[]]> = {
  sumOfNormals: [
    book({
      A1: { formula: '=RiskNormal(100,10)' },
      A2: { formula: '=RiskLognorm(50,5)' },
      A3: { formula: '=20+2*SQRT(12)*(RAND()-0.5)' },
      A4: { formula: '=A1+A2+A3' },
      A5: { formula: '=IF(A4>170,1,0)' },
    }),
    ['A4', 'A5'],
  ],
  distributions: [
    book({
      A1: { formula: '=RiskTriang(1,2,4)' },
      A2: { formula: '=RiskPert(1,3,10)' },
      A3: { formula: '=RiskUniform(-1,1)' },
      A4: { formula: '=RiskExpon(3)' },
      A5: { formula: '=RiskBetaGeneral(2,3,0,10)' },
      A6: { formula: '=A1*A2-A3/A4+A5^2' },
    }),
    ['A6'],
  ],
  errorsAndBranches: [
    book({
      A1: { formula: '=RiskUniform(-1,1)' },
      A2: { formula: '=1/A1' },
      A3: { formula: '=IFERROR(LN(A1),-1)' },
      A4: { formula: '=CHOOSE(1+(A1>0),ABS(A1),EXP(A1))' },
      B1: { value: 5 },
      B2: { value: 'text is ignored by SUM' },
      A5: { formula: '=SUM(A1:A4,B1:B2)+MIN(A1,A3)-MAX(A2,B1)' },
      A6: { formula: '=-A1%' },
      A7: { formula: '=LET(x,A1*2,y,x>0,IF(y,x,-x))' },
    }),
    ['A2', 'A5', 'A6', 'A7'],
  ],
  outcomes: [
    book({
      A1: { formula: '=RiskNormal(3,1)' },
      A2: { formula: '=1/(A1-A1)' },
      A3: { formula: '=SQRT(A1-100)' },
      A4: { formula: '=A1>3' },
      A5: { formula: '=IFERROR(A2,A1)+IF(A4,1,2)' },
    }),
    ['A2', 'A3', 'A4', 'A5'],
  ],
  discrete: [
    book({
      A1: { formula: '=RiskDiscrete({1,2,5},{1,2,3})' },
      A2: { formula: '=RiskBinomial(10,0.3)' },
      A3: { formula: '=RiskBernoulli(0.4)' },
      A4: { formula: '=RiskIntUniform(1,6)' },
      A5: { formula: '=RiskPoisson(4)' },
      A6: { formula: '=RiskNormal(5,0)' },
      A7: { formula: '=A1+10*A2+100*A3+1000*A4+10000*A5+A6' },
      A8: { formula: '=PV(0.05,A4,-A1,A2)+PV(0.01,12,A5)' },
    }),
    ['A7', 'A8'],
  ],
  rounding: [
    book({
      // Values on a rounding boundary (2.675, 1.005: the 15-digit trim), huge ones and tiny ones.
      A1: {
        formula:
          '=RiskDiscrete({2.675,1.005,-2.5,0.125,1234567.8945,4503599627370495.5,-0.285,0.00000015},{1,1,1,1,1,1,1,1})',
      },
      A2: { formula: '=RiskIntUniform(-3,3)' },
      A3: { formula: '=RiskNormal(0,100)' },
      B1: { formula: '=ROUND(A1,A2)' },
      B2: { formula: '=ROUNDUP(A1,A2)' },
      B3: { formula: '=ROUNDDOWN(A1,A2)' },
      B4: { formula: '=ROUND(A3,2)+ROUNDUP(A3,-1)-ROUNDDOWN(A3,0)' },
      B5: { formula: '=ROUND(1/(A2-1),1)' },
    }),
    ['B1', 'B2', 'B3', 'B4', 'B5'],
  ],
  cashFlows: [
    book({
      A1: { formula: '=RiskNormal(-100,5)' },
      A2: { formula: '=RiskUniform(20,40)' },
      A3: { formula: '=A2*1.1' },
      A4: { formula: '=A3*1.1' },
      A5: { formula: '=A4*1.1' },
      B1: { formula: '=RiskTriang(0.05,0.08,0.12)' },
      B2: { formula: '=NPV(B1,A2:A5)+A1' },
      B3: { formula: '=IRR(A1:A5)' },
      B4: { formula: '=IRR(A1:A5,B1)' },
    }),
    ['B2', 'B3', 'B4'],
  ],
};
