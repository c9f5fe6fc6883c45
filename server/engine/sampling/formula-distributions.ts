/**
 * Distribution functions as written in formulas: `RiskNormal(100, 10, RiskTruncate(0, 150))`,
 * `MC.TRIANG(A1, A2, A3)`. Turns evaluated arguments into a validated `DistributionSpec`.
 */

import { ALT_FUNCTIONS, specFromAltArguments } from '../../../shared/distributions/alt-forms';
import {
  DISTRIBUTION_FUNCTIONS,
  isArrayParam,
  specFromArguments,
} from '../../../shared/distributions/catalogue';
import {
  createDistribution,
  type Distribution,
  type DistributionSpec,
  type DistributionType,
} from '../../../shared/distributions/distribution';
import { metalogSpec } from '../../../shared/distributions/metalog';
import type { ComponentSpec } from '../../../shared/model/distribution';
import { toNumber } from '../values/coerce';
import { ExcelError, Matrix, type Scalar } from '../values/value';
import { applyProperty, type InputProperties, type PropertyCall } from './property-functions';

export interface DistributionArgs {
  /** Upper-case function name: RISKNORMAL, MC.NORMAL. */
  name: string;
  params: (Scalar | Matrix)[];
  properties: PropertyCall[];
  /**
   * RiskSplice's and RiskCompound's arguments that are distributions (given in place or as a cell holding
   * one), by argument position; their place in `params` holds nothing of use.
   */
  components?: (DistributionArgs | undefined)[];
}

export type DistributionResult =
  | {
      spec: DistributionSpec;
      distribution: Distribution;
      /** Shown outside a simulation: RiskStatic's value, else the distribution's. */
      staticValue: number;
      /** RiskName's text (kept apart from `properties` as the input's name). */
      name?: string;
      properties: InputProperties;
    }
  | { error: string; type?: DistributionType; excelError?: '#NUM!' };

export function isDistributionName(name: string): boolean {
  return DISTRIBUTION_FUNCTIONS.has(name) || ALT_FUNCTIONS.has(name);
}

function displayName(name: string): string {
  if (name.startsWith('MC.')) return name;
  const info = DISTRIBUTION_FUNCTIONS.get(name);
  return info ? `Risk${name.slice(4).charAt(0)}${name.slice(5).toLowerCase()}` : name;
}

function numberOf(value: Scalar | Matrix): number | string {
  const scalar = value instanceof Matrix ? value.data[0] : value;
  const n = toNumber(scalar);
  if (n instanceof ExcelError) return `got ${n.code}`;
  return n;
}

function numbersOf(value: Scalar | Matrix): number[] | string {
  const values = value instanceof Matrix ? value.data : [value];
  const out: number[] = [];
  for (const v of values) {
    if (v === null) continue;
    const n = toNumber(v);
    if (n instanceof ExcelError) return `got ${n.code}`;
    out.push(n);
  }
  return out;
}

export function distributionFromCall(call: DistributionArgs): DistributionResult {
  const parsed = ALT_FUNCTIONS.has(call.name)
    ? altSpecFromCall(call)
    : call.name === 'MC.METALOG'
      ? metalogSpecFromCall(call)
      : call.name === 'RISKSPLICE'
        ? spliceSpecFromCall(call)
        : call.name === 'RISKCOMPOUND'
          ? compoundSpecFromCall(call)
          : specFromCall(call);
  if ('error' in parsed) return parsed;
  const { spec, label, type } = parsed;
  const properties: InputProperties = {};
  for (const property of call.properties) {
    const problem = applyProperty(property, spec, properties);
    if (problem !== undefined) return { error: `${label}: ${problem}`, type };
  }
  const distribution = createDistribution(spec);
  if ('error' in distribution) return { ...distribution, type };
  const name = riskName(call.properties);
  return {
    spec,
    distribution,
    staticValue: properties.static ?? distribution.staticValue,
    ...(name !== undefined ? { name } : {}),
    properties,
  };
}

/** RiskName's text among a distribution's properties: the name the input is shown by. */
export function riskName(properties: DistributionArgs['properties']): string | undefined {
  const value = properties.find((p) => p.name === 'RISKNAME')?.args[0];
  // RiskName(A5) reads the text in A5, passed as that one cell's values.
  const text = value instanceof Matrix ? value.data[0] : value;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

type ParsedCall =
  | { spec: DistributionSpec; label: string; type: DistributionType }
  | { error: string; type?: DistributionType };

/** A catalogue function's spec from its arguments (numbers, and arrays where the catalogue says so). */
function specFromCall(call: DistributionArgs): ParsedCall {
  const info = DISTRIBUTION_FUNCTIONS.get(call.name);
  const label = displayName(call.name);
  if (!info) return { error: `${label} is not a supported distribution function` };
  const args: (number | number[])[] = [];
  for (const [i, value] of call.params.entries()) {
    const param = info.params[i] ?? `argument ${i + 1}`;
    const converted = isArrayParam(param) ? numbersOf(value) : numberOf(value);
    if (typeof converted === 'string')
      return { error: `${label}: ${param} must be a number, ${converted}`, type: info.type };
    args.push(converted);
  }
  const spec = specFromArguments(label, args);
  if ('error' in spec) return { error: spec.error, type: info.type };
  return { spec, label, type: info.type };
}

/** An Alt form's spec (RiskNormalAlt("5%", 10, "95%", 20)): argument types are text or numbers. */
function altSpecFromCall(call: DistributionArgs): ParsedCall {
  const info = ALT_FUNCTIONS.get(call.name);
  if (!info) return { error: `${call.name} is not a supported distribution function` };
  const label = `Risk${info.family}Alt${info.descending ? 'D' : ''}`;
  const args: (number | string)[] = [];
  for (const value of call.params) {
    const scalar = value instanceof Matrix ? value.data[0] : value;
    if (typeof scalar === 'string') args.push(scalar);
    else {
      const n = toNumber(scalar);
      if (n instanceof ExcelError) return { error: `${label}: got ${n.code}`, type: info.type };
      args.push(n);
    }
  }
  const spec = specFromAltArguments(label, args);
  if ('error' in spec) return { error: spec.error, type: info.type };
  return { spec: { ...spec, name: label }, label, type: info.type };
}

/**
 * MC.METALOG({x}, {p}, [terms], [lower], [upper]): an empty argument (or an empty cell) leaves terms at
 * their default and that side unbounded.
 */
function metalogSpecFromCall(call: DistributionArgs): ParsedCall {
  const label = 'MC.METALOG';
  const type = 'metalog';
  if (call.params.length < 2 || call.params.length > 5)
    return { error: `${label}: expects 2 to 5 arguments, got ${call.params.length}`, type };
  const [xs, ps] = [numbersOf(call.params[0]), numbersOf(call.params[1])];
  if (typeof xs === 'string') return { error: `${label}: x values must be numbers, ${xs}`, type };
  if (typeof ps === 'string') return { error: `${label}: probabilities must be numbers, ${ps}`, type };
  const optional: (number | undefined)[] = [];
  for (const [i, name] of ['terms', 'lower bound', 'upper bound'].entries()) {
    const value = call.params[i + 2];
    const scalar = value instanceof Matrix ? value.data[0] : value;
    if (scalar === undefined || scalar === null) optional.push(undefined);
    else {
      const n = numberOf(scalar);
      if (typeof n === 'string') return { error: `${label}: ${name} must be a number, ${n}`, type };
      optional.push(n);
    }
  }
  return { spec: { ...metalogSpec(xs, ps, ...optional), name: label }, label, type };
}

/** A distribution argument's spec (its own truncation and shift kept), or why it cannot be one. */
function componentSpec(
  call: DistributionArgs,
  position: number,
  label: string,
): ComponentSpec | { error: string; excelError?: '#NUM!' } {
  const component = call.components?.[position];
  if (!component)
    return { error: `${label}: argument ${position + 1} must be a distribution or a cell holding one` };
  const result = distributionFromCall(component);
  if ('error' in result)
    return {
      error: `${label}: ${result.error}`,
      ...(result.excelError ? { excelError: result.excelError } : {}),
    };
  return result.spec;
}

/** RiskSplice(dist1 or cellref, dist2 or cellref, splice point). */
function spliceSpecFromCall(call: DistributionArgs): ParsedCall {
  const label = 'RiskSplice';
  const type = 'splice';
  if (call.params.length !== 3)
    return { error: `${label}: expects 3 arguments, got ${call.params.length}`, type };
  const left = componentSpec(call, 0, label);
  if ('error' in left) return { ...left, type };
  const right = componentSpec(call, 1, label);
  if ('error' in right) return { ...right, type };
  const point = numberOf(call.params[2]);
  if (typeof point === 'string') return { error: `${label}: splice point must be a number, ${point}`, type };
  return { spec: { type, params: [point], components: [left, right], name: label }, label, type };
}

/**
 * RiskCompound(dist1 or value or cellref, dist2 or cellref, [deductible], [limit]): a frequency given as a
 * number is that many severities every trial.
 */
function compoundSpecFromCall(call: DistributionArgs): ParsedCall {
  const label = 'RiskCompound';
  const type = 'compound';
  if (call.params.length < 2 || call.params.length > 4)
    return { error: `${label}: expects 2 to 4 arguments, got ${call.params.length}`, type };
  let frequency: ComponentSpec | { error: string; excelError?: '#NUM!' };
  if (call.components?.[0]) frequency = componentSpec(call, 0, label);
  else {
    const count = numberOf(call.params[0]);
    if (typeof count === 'string')
      return { error: `${label}: the frequency must be a number, ${count}`, type };
    frequency = { type: 'discrete', params: [], values: [count], weights: [1] };
  }
  if ('error' in frequency) return { ...frequency, type };
  const severity = componentSpec(call, 1, label);
  if ('error' in severity) return { ...severity, type };
  const params: number[] = [];
  for (const [i, name] of ['deductible', 'limit'].entries()) {
    const value = call.params[i + 2];
    const scalar = value instanceof Matrix ? value.data[0] : value;
    if (scalar === undefined || scalar === null) {
      if (name === 'deductible') params.push(0);
      continue;
    }
    const n = numberOf(scalar);
    if (typeof n === 'string') return { error: `${label}: ${name} must be a number, ${n}`, type };
    params.push(n);
  }
  return { spec: { type, params, components: [frequency, severity], name: label }, label, type };
}
