/**
 * The model a GPU must reproduce before a worker trusts it: continuous and discrete distributions, the
 * transcendental functions whose libm versions differ by ulps, the iterative IRR, branches, error
 * outcomes and a boolean, so a broken device, driver or toolchain shows up as a mismatch at start.
 */
import type { WorkbookModel } from '../../../../shared/model';
import { simulate } from '../../simulate';
import type { BackendResult } from './device';

export const VALIDATION_SEED = 20_260_601;
export const VALIDATION_TRIALS = 4_096;
export const VALIDATION_TARGETS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'];

export function validationModel(): WorkbookModel {
  return {
    version: 1,
    names: [],
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskNormal(100,10)' },
          A2: { formula: '=RiskLognorm(50,5)' },
          A3: { formula: '=RiskTriang(0.05,0.08,0.12)' },
          A4: { formula: '=RiskPert(1,3,10)' },
          A5: { formula: '=RiskBetaGeneral(2,3,0,10)' },
          A6: { formula: '=RiskExpon(3)' },
          A7: { formula: '=RiskDiscrete({1,2,5},{1,2,3})' },
          A8: { formula: '=RiskPoisson(4)' },
          A9: { formula: '=RiskUniform(-1,1)' },
          C1: { formula: '=-100-10*A9' },
          C2: { formula: '=A2*0.6' },
          C3: { formula: '=C2*(1+A3)' },
          C4: { formula: '=C3*(1+A3)' },
          B1: { formula: '=NPV(A3,A1,A2,A4*10,A5*A6)-150' },
          B2: { formula: '=IRR(C1:C4)' },
          B3: { formula: '=IF(A9>0,SQRT(A9)*EXP(A9),LN(-A9))+A7*A8^0.5' },
          B4: { formula: '=IF(A7=1,1/(A7-A7),1/A9-IFERROR(1/(A7-A7),A7))' },
          B5: { formula: '=A1>A2*2' },
          B6: { formula: '=SQRT(A1-110)' },
        },
      },
    ],
  };
}

/** What the GPU is compared with: the CPU backend's results of the validation model. */
export async function validationReference(): Promise<BackendResult> {
  const cpu = await simulate(validationModel(), {
    targets: VALIDATION_TARGETS,
    iterations: VALIDATION_TRIALS,
    seed: VALIDATION_SEED,
  });
  return { values: cpu.outputs.map((o) => o.values), outcomes: cpu.outputs.map((o) => o.outcomes) };
}
