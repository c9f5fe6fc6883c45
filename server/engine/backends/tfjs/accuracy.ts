/**
 * How far a float32 run is from the CPU backend's float64 run of the same trials: per output, trial by
 * trial and in the statistics users read (mean, percentiles). Used by the tfjs tests and by
 * bench/tfjs-error.ts, which writes the table in docs/gpu-tfjs.md.
 */
import type { EngineResult } from '../../simulate';
import { summarizeOutput } from '../../statistics/summary';

export const COMPARED_PERCENTILES = ['5', '50', '95'] as const;

export interface OutputError {
  label: string;
  trials: number;
  /** Trials whose outcome (number, #DIV/0!, #NUM!…) differs between the two runs. */
  outcomeMismatches: number;
  /** Over trials that are numbers in both runs and non-zero on the CPU: |x − cpu| / |cpu|. */
  maxRelative: number;
  meanRelative: number;
  /** max |x − cpu| over the mean |cpu|: the error on the output's own scale (zeros included). */
  maxScaled: number;
  /** |mean − cpu mean| / |cpu mean|, and in units of the CPU run's standard error of the mean. */
  meanRelativeError: number;
  meanErrorInStandardErrors: number;
  /** Relative error of each percentile in COMPARED_PERCENTILES. */
  percentileRelativeError: Record<string, number>;
}

export function compareRuns(cpu: EngineResult, other: EngineResult): OutputError[] {
  if (cpu.iterations !== other.iterations || cpu.outputs.length !== other.outputs.length)
    throw new Error('the runs to compare differ in trials or outputs');
  return cpu.outputs.map((c, j) => {
    const o = other.outputs[j];
    let mismatches = 0;
    let maxRelative = 0;
    let sumRelative = 0;
    let relativeCount = 0;
    let maxAbsolute = 0;
    let sumMagnitude = 0;
    let numeric = 0;
    for (let t = 0; t < cpu.iterations; t++) {
      if (c.outcomes[t] !== o.outcomes[t]) {
        mismatches++;
        continue;
      }
      if (c.outcomes[t] !== 0) continue;
      const error = Math.abs(o.values[t] - c.values[t]);
      numeric++;
      sumMagnitude += Math.abs(c.values[t]);
      maxAbsolute = Math.max(maxAbsolute, error);
      if (c.values[t] !== 0) {
        const relative = error / Math.abs(c.values[t]);
        maxRelative = Math.max(maxRelative, relative);
        sumRelative += relative;
        relativeCount++;
      }
    }
    const a = summarizeOutput(c.values, c.outcomes);
    const b = summarizeOutput(o.values, o.outcomes);
    const relative = (x: number | null | undefined, y: number | null | undefined) =>
      x === null || x === undefined || y === null || y === undefined
        ? Number.NaN
        : Math.abs(y - x) / Math.abs(x);
    const percentileRelativeError: Record<string, number> = {};
    for (const p of COMPARED_PERCENTILES)
      percentileRelativeError[p] = relative(a.percentiles[p], b.percentiles[p]);
    const meanGap = a.mean !== null && b.mean !== null ? Math.abs(b.mean - a.mean) : Number.NaN;
    return {
      label: c.label,
      trials: cpu.iterations,
      outcomeMismatches: mismatches,
      maxRelative,
      meanRelative: relativeCount ? sumRelative / relativeCount : 0,
      maxScaled: numeric && sumMagnitude ? maxAbsolute / (sumMagnitude / numeric) : 0,
      meanRelativeError: relative(a.mean, b.mean),
      meanErrorInStandardErrors: a.standardError ? meanGap / a.standardError : Number.NaN,
      percentileRelativeError,
    };
  });
}
