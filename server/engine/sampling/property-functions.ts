/**
 * @RISK's property functions as written inside a distribution call: `RiskNormal(100, 10, RiskStatic(5),
 * RiskUnits("$"))`. Each qualifies the input it is passed to: RiskTruncate, RiskTruncateP and RiskShift change its
 * distribution; RiskStatic, RiskLock and RiskSeed change how it is shown and sampled; RiskName, RiskUnits,
 * RiskCategory, RiskIsDate, RiskIsDiscrete and RiskCollect only describe it (sampling ignores them).
 * RiskCorrmat and RiskCopula are read by the simulation compiler, which groups the inputs of one matrix or copula.
 */
import type { DistributionSpec } from '../../../shared/distributions/distribution';
import { toBoolean, toNumber } from '../values/coerce';
import { ExcelError, Matrix, type Scalar } from '../values/value';

export interface PropertyCall {
  /** Upper-case function name: RISKSTATIC. */
  name: string;
  args: (Scalar | Matrix)[];
}

/** What the property functions say about an input beyond its distribution. */
export interface InputProperties {
  /** RiskStatic: the value shown when not simulating (and held by RiskLock), instead of the distribution's. */
  static?: number;
  /** RiskLock: every trial takes the static value; the input is not sampled. */
  locked?: boolean;
  /** RiskSeed: the input draws from its own stream, keyed by this seed instead of the simulation's. */
  seed?: number;
  units?: string;
  category?: string;
  isDate?: boolean;
  isDiscrete?: boolean;
  /** RiskCollect: @RISK keeps the input's samples for sensitivity; Montecell keeps every input's anyway. */
  collect?: boolean;
}

/** @RISK's bounds on a seed value (its random number generators take a positive 31-bit seed). */
const MAX_SEED = 2_147_483_647;

function scalarOf(value: Scalar | Matrix | undefined): Scalar {
  return value instanceof Matrix ? value.data[0] : (value ?? null);
}

function numberOf(value: Scalar | Matrix | undefined): number | undefined {
  const n = toNumber(scalarOf(value));
  return n instanceof ExcelError ? undefined : n;
}

function textOf(value: Scalar | Matrix | undefined): string | undefined {
  const scalar = scalarOf(value);
  return typeof scalar === 'string' ? scalar : undefined;
}

/** A flag argument: TRUE when omitted, as RiskIsDate() and RiskIsDiscrete() mean. */
function flagOf(value: Scalar | Matrix | undefined): boolean | undefined {
  if (value === undefined || value === null) return true;
  const flag = toBoolean(scalarOf(value));
  return flag instanceof ExcelError ? undefined : flag;
}

/**
 * Applies one property function to the input's spec (truncation, shift) or its properties; returns what
 * is wrong with its arguments, if anything. Descriptive properties with an unreadable argument are
 * dropped rather than failing a run: they never change a sample.
 */
export function applyProperty(
  property: PropertyCall,
  spec: DistributionSpec,
  properties: InputProperties,
): string | undefined {
  const args = property.args;
  switch (property.name) {
    case 'RISKNAME': // read by riskName(), for constant and random parameters alike
      return undefined;
    case 'RISKUNITS':
      properties.units = textOf(args[0]);
      return undefined;
    case 'RISKCATEGORY':
      properties.category = textOf(args[0]);
      return undefined;
    case 'RISKISDATE':
      properties.isDate = flagOf(args[0]);
      return undefined;
    case 'RISKISDISCRETE':
      properties.isDiscrete = flagOf(args[0]);
      return undefined;
    case 'RISKCOLLECT':
      properties.collect = true;
      return undefined;
    case 'RISKLOCK':
      properties.locked = true;
      return undefined;
    case 'RISKCORRMAT':
    case 'RISKCOPULA':
      return undefined;
    case 'RISKSTATIC': {
      const value = numberOf(args[0]);
      if (value === undefined || !Number.isFinite(value)) return 'RiskStatic takes a number';
      properties.static = value;
      return undefined;
    }
    case 'RISKSEED': {
      // RiskSeed(generator type, seed) in @RISK; RiskSeed(seed) too. Montecell has one generator (Philox).
      const seed = numberOf(args[args.length - 1]);
      if (seed === undefined || !Number.isInteger(seed) || seed < 1 || seed > MAX_SEED)
        return `RiskSeed takes a whole seed from 1 to ${MAX_SEED}`;
      properties.seed = seed;
      return undefined;
    }
    case 'RISKTRUNCATE':
    case 'RISKTRUNCATEP': {
      const label = property.name === 'RISKTRUNCATE' ? 'RiskTruncate' : 'RiskTruncateP';
      if (spec.truncate !== undefined)
        return `${label}: the input is already truncated (one RiskTruncate or RiskTruncateP)`;
      const [min, max] = [args[0], args[1]].map((a) => (a === undefined || a === null ? null : numberOf(a)));
      if (min === undefined || max === undefined) return `${label} arguments must be numbers`;
      spec.truncate = {
        ...(min !== null ? { min } : {}),
        ...(max !== null ? { max } : {}),
        // RiskTruncateP's limits are cumulative probabilities of the untruncated distribution
        ...(property.name === 'RISKTRUNCATEP' ? { percentiles: true } : {}),
      };
      return undefined;
    }
    case 'RISKSHIFT': {
      const shift = numberOf(args[0]);
      if (shift === undefined) return 'RiskShift takes a number';
      // added to an Alt form's "loc", which is a shift already
      spec.shift = (spec.shift ?? 0) + shift;
      return undefined;
    }
    default:
      return `${property.name} is not a property function`;
  }
}
