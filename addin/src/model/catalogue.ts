/**
 * Distributions offered by "Add input", from the shared catalogue: the parameter names and order of the
 * MC.* functions, so a picked distribution is exactly the spec the engine samples.
 */

import {
  DISTRIBUTION_FUNCTIONS,
  isArrayParam,
  specFromArguments,
} from '../../../shared/distributions/catalogue';
import { createDistribution, type Distribution } from '../../../shared/distributions/distribution';
import type { DistributionSpec } from '../../../shared/model';

export interface CatalogueEntry {
  type: DistributionSpec['type'];
  /** "MC.NORMAL" */
  functionName: string;
  label: string;
  params: readonly string[];
  /** Parameter values a new input starts with. */
  example: string[];
}

const OFFERED: { fn: string; label: string; example: string[] }[] = [
  { fn: 'MC.NORMAL', label: 'Normal', example: ['100', '10'] },
  { fn: 'MC.LOGNORMAL', label: 'Lognormal', example: ['100', '20'] },
  { fn: 'MC.UNIFORM', label: 'Uniform', example: ['0', '1'] },
  { fn: 'MC.TRIANG', label: 'Triangular', example: ['90', '100', '130'] },
  { fn: 'MC.PERT', label: 'PERT', example: ['90', '100', '130'] },
  { fn: 'MC.DISCRETE', label: 'Discrete', example: ['1, 2, 3', '0.2, 0.5, 0.3'] },
  { fn: 'MC.BINOMIAL', label: 'Binomial', example: ['10', '0.5'] },
  { fn: 'MC.POISSON', label: 'Poisson', example: ['4'] },
  { fn: 'MC.EXPON', label: 'Exponential', example: ['10'] },
  { fn: 'MC.GAMMA', label: 'Gamma', example: ['2', '5'] },
  { fn: 'MC.BETA', label: 'Beta', example: ['2', '5'] },
  { fn: 'MC.BETAGENERAL', label: 'Beta (general)', example: ['2', '5', '0', '100'] },
  { fn: 'MC.WEIBULL', label: 'Weibull', example: ['2', '10'] },
  { fn: 'MC.STUDENT', label: 'Student t', example: ['5'] },
  { fn: 'MC.BERNOULLI', label: 'Bernoulli', example: ['0.3'] },
  { fn: 'MC.INTUNIFORM', label: 'Integer uniform', example: ['1', '6'] },
  { fn: 'MC.DUNIFORM', label: 'Discrete uniform', example: ['1, 2, 5, 10'] },
  { fn: 'MC.GEOMET', label: 'Geometric', example: ['0.2'] },
  { fn: 'MC.LOGISTIC', label: 'Logistic', example: ['100', '10'] },
  { fn: 'MC.LAPLACE', label: 'Laplace', example: ['100', '10'] },
  { fn: 'MC.CAUCHY', label: 'Cauchy', example: ['100', '10'] },
  { fn: 'MC.EXTVALUE', label: 'Extreme value (max)', example: ['100', '10'] },
  { fn: 'MC.EXTVALUEMIN', label: 'Extreme value (min)', example: ['100', '10'] },
  { fn: 'MC.RAYLEIGH', label: 'Rayleigh', example: ['10'] },
  { fn: 'MC.PARETO', label: 'Pareto', example: ['3', '10'] },
  { fn: 'MC.PARETO2', label: 'Pareto (second kind)', example: ['10', '3'] },
  { fn: 'MC.LOGLOGISTIC', label: 'Log-logistic', example: ['0', '10', '4'] },
  { fn: 'MC.RECIPROCAL', label: 'Reciprocal', example: ['1', '100'] },
  { fn: 'MC.KUMARASWAMY', label: 'Kumaraswamy', example: ['2', '5', '0', '100'] },
  { fn: 'MC.ERLANG', label: 'Erlang', example: ['3', '10'] },
  { fn: 'MC.CHISQ', label: 'Chi-squared', example: ['5'] },
  { fn: 'MC.FRECHET', label: 'Fréchet', example: ['0', '10', '4'] },
  { fn: 'MC.LEVY', label: 'Lévy', example: ['0', '1'] },
  { fn: 'MC.HYPSECANT', label: 'Hyperbolic secant', example: ['100', '10'] },
  { fn: 'MC.DAGUM', label: 'Dagum', example: ['0', '10', '4', '2'] },
  { fn: 'MC.BURR12', label: 'Burr XII', example: ['0', '10', '4', '2'] },
  { fn: 'MC.FATIGUELIFE', label: 'Fatigue life (Birnbaum–Saunders)', example: ['0', '10', '0.5'] },
  { fn: 'MC.ERF', label: 'Error function', example: ['0.5'] },
  { fn: 'MC.JOHNSONSU', label: 'Johnson SU', example: ['0.5', '2', '100', '10'] },
  { fn: 'MC.JOHNSONSB', label: 'Johnson SB', example: ['0.5', '2', '0', '100'] },
  { fn: 'MC.PEARSON5', label: 'Pearson V (inverse gamma)', example: ['4', '30'] },
  { fn: 'MC.PEARSON6', label: 'Pearson VI', example: ['10', '3', '5'] },
  { fn: 'MC.F', label: 'F', example: ['5', '10'] },
  { fn: 'MC.DOUBLETRIANG', label: 'Double triangular', example: ['0', '40', '100', '0.3'] },
  { fn: 'MC.NEGBIN', label: 'Negative binomial', example: ['3', '0.4'] },
  { fn: 'MC.HYPERGEO', label: 'Hypergeometric', example: ['10', '20', '50'] },
  { fn: 'MC.TRIGEN', label: 'Triangular (from percentiles)', example: ['90', '100', '130', '10', '90'] },
  { fn: 'MC.INVGAUSS', label: 'Inverse Gaussian (Wald)', example: ['10', '30'] },
  { fn: 'MC.BETASUBJ', label: 'Beta (subjective)', example: ['0', '20', '30', '100'] },
  { fn: 'MC.HISTOGRM', label: 'Histogram', example: ['0', '100', '1, 2, 3, 2, 1'] },
  { fn: 'MC.CUMULD', label: 'Cumulative (descending)', example: ['0', '10', '1, 5, 9', '0.9, 0.3, 0.1'] },
  { fn: 'MC.POLYA', label: 'Pólya', example: ['2.5', '4'] },
  { fn: 'MC.RESAMPLE', label: 'Resample (with replacement)', example: ['2', '3, 7, 8, 12, 20'] },
];

export const CATALOGUE: CatalogueEntry[] = OFFERED.map(({ fn, label, example }) => {
  const info = DISTRIBUTION_FUNCTIONS.get(fn);
  if (!info) throw new Error(`${fn} is not in the distribution catalogue`);
  return { type: info.type, functionName: fn, label, params: info.params, example };
});

export function entryFor(type: DistributionSpec['type']): CatalogueEntry | undefined {
  return CATALOGUE.find((e) => e.type === type);
}

export type Built =
  | { spec: DistributionSpec; distribution: Distribution }
  | { error: string; field?: number };

/** Parses the text fields of a distribution's parameters and validates them with the engine. */
export function buildSpec(entry: CatalogueEntry, fields: string[]): Built {
  const args: (number | number[])[] = [];
  for (const [i, name] of entry.params.entries()) {
    const text = (fields[i] ?? '').trim();
    if (isArrayParam(name)) {
      const values = text
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map(Number);
      if (values.length === 0 || values.some((v) => !Number.isFinite(v)))
        return { error: `${name}: enter numbers separated by commas`, field: i };
      args.push(values);
    } else {
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) return { error: `${name}: enter a number`, field: i };
      args.push(value);
    }
  }
  const spec = specFromArguments(entry.functionName, args);
  if ('error' in spec) return { error: spec.error };
  const distribution = createDistribution(spec);
  if ('error' in distribution) return { error: distribution.error };
  const { name: _name, ...shared } = spec;
  return { spec: shared, distribution };
}

/** The fields that reproduce a stored spec in the form. */
export function fieldsOf(entry: CatalogueEntry, spec: DistributionSpec): string[] {
  const scalars = [...spec.params];
  return entry.params.map((name) => {
    if (name === 'values') return (spec.values ?? []).join(', ');
    if (name === 'weights') return (spec.weights ?? []).join(', ');
    if (name === 'xValues') return (spec.points?.x ?? []).join(', ');
    if (name === 'pValues' || name === 'densities') return (spec.points?.y ?? []).join(', ');
    return String(scalars.shift() ?? '');
  });
}

/** "Normal(100, 10)" */
export function describeSpec(spec: DistributionSpec): string {
  return describeCall(entryFor(spec.type)?.label ?? spec.type, spec);
}

/** The spec's parameters after a name: "RiskNormal(100, 10)", "Discrete({1, 2}, {0.5, 0.5})". */
export function describeCall(name: string, spec: DistributionSpec): string {
  const entry = entryFor(spec.type);
  const parts = entry
    ? fieldsOf(entry, spec).map((f) => (f.includes(',') ? `{${f}}` : f))
    : spec.params.map(String);
  return `${name}(${parts.join(', ')})`;
}
