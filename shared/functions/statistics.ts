/**
 * Statistics functions in cells (@RISK's RiskMean, RiskPercentile, … and their MC.* twins): a cell that
 * calls one shows a statistic of the simulated values of another cell, known only once a simulation has
 * run. The engine computes them after the last trial; the pane's swap of Risk* to MC.* reads the twins.
 */
import type { CallNode, FormulaNode } from '../formula/ast';

/** A statistic of a distribution: of the simulated values of a cell, or of the distribution itself (RiskTheo*). */
export type DistributionStatistic =
  | 'mean'
  | 'stddev'
  | 'variance'
  | 'min'
  | 'max'
  | 'range'
  | 'skewness'
  | 'kurtosis'
  | 'mode'
  | 'percentile'
  | 'percentile-descending'
  | 'target'
  | 'target-descending';

/**
 * What a statistics function computes from the simulated values of the cell it names: a statistic of
 * their distribution, or of the run itself (the output's sensitivity to its inputs, its convergence).
 */
export type CellStatistic = DistributionStatistic | 'sensitivity' | 'convergence-level';

export interface StatisticsFunctionInfo<S extends CellStatistic = CellStatistic> {
  readonly statistic: S;
  /** The arguments after the cell (or output name), the optional simulation number left out. */
  readonly params: readonly string[];
  /**
   * Where the simulation number sits among the arguments after the cell: last (after `params`) for all
   * but RiskSensitivity, whose simulation number comes first.
   */
  readonly simulationAt: number;
}

/** A statistics call's arguments after the cell, split into the simulation number and the others. */
export function statisticsArguments<T>(
  info: StatisticsFunctionInfo,
  args: readonly T[],
): { simulation: T | undefined; params: T[] } {
  const params = [...args.slice(0, info.simulationAt), ...args.slice(info.simulationAt + 1)];
  return { simulation: args[info.simulationAt], params };
}

interface Spelling {
  risk: readonly string[];
  mc: string;
  params?: readonly string[];
  simulationAt?: number;
}

const STATISTICS: Record<DistributionStatistic, Spelling> = {
  mean: { risk: ['RiskMean'], mc: 'MC.MEAN' },
  stddev: { risk: ['RiskStdDev'], mc: 'MC.STDDEV' },
  variance: { risk: ['RiskVariance'], mc: 'MC.VARIANCE' },
  min: { risk: ['RiskMin'], mc: 'MC.MIN' },
  max: { risk: ['RiskMax'], mc: 'MC.MAX' },
  range: { risk: ['RiskRange'], mc: 'MC.RANGE' },
  skewness: { risk: ['RiskSkewness'], mc: 'MC.SKEWNESS' },
  kurtosis: { risk: ['RiskKurtosis'], mc: 'MC.KURTOSIS' },
  mode: { risk: ['RiskMode'], mc: 'MC.MODE' },
  percentile: { risk: ['RiskPercentile', 'RiskPtoX'], mc: 'MC.PERCENTILE', params: ['percentile'] },
  'percentile-descending': {
    risk: ['RiskPercentileD', 'RiskQtoX'],
    mc: 'MC.PERCENTILED',
    params: ['percentile'],
  },
  target: { risk: ['RiskTarget', 'RiskXtoP'], mc: 'MC.TARGET', params: ['targetValue'] },
  'target-descending': { risk: ['RiskTargetD', 'RiskXtoQ'], mc: 'MC.TARGETD', params: ['targetValue'] },
};

/** Statistics of a run rather than of a distribution: they have no theoretical twin. */
const RUN_STATISTICS: Record<Exclude<CellStatistic, DistributionStatistic>, Spelling> = {
  sensitivity: {
    risk: ['RiskSensitivity'],
    mc: 'MC.SENSITIVITY',
    params: ['rank', 'analysisType', 'returnValueType'],
    simulationAt: 0,
  },
  'convergence-level': { risk: ['RiskConvergenceLevel'], mc: 'MC.CONVERGENCELEVEL' },
};

const SPELLINGS: Record<CellStatistic, Spelling> = { ...STATISTICS, ...RUN_STATISTICS };

function infoOf<S extends CellStatistic>(statistic: S, { params = [], simulationAt }: Spelling) {
  return { statistic, params, simulationAt: simulationAt ?? params.length };
}

/**
 * The simulated statistics functions by @RISK name with their MC.* twin (RiskPercentile and RiskPtoX
 * share MC.PERCENTILE: the first name is the one a swap back writes) and the arguments the twin takes:
 * the cell and the statistic's own, not the simulation number.
 */
export const STATISTICS_TWINS: readonly { risk: string; mc: string; arity: number }[] = Object.values(
  STATISTICS,
).flatMap(({ risk, mc, params = [] }) => risk.map((name) => ({ risk: name, mc, arity: 1 + params.length })));

/** Upper-case function name (RISKMEAN, RISKPTOX, MC.MEAN, …) to what it computes. */
export const STATISTICS_FUNCTIONS: ReadonlyMap<string, StatisticsFunctionInfo> = new Map(
  (Object.keys(SPELLINGS) as CellStatistic[]).flatMap((statistic) => {
    const spelling = SPELLINGS[statistic];
    const info = infoOf(statistic, spelling);
    return [
      ...spelling.risk.map((name) => [name.toUpperCase(), info] as const),
      [spelling.mc, info] as const,
    ];
  }),
);

/**
 * The theoretical twins (RiskTheoMean…): the same statistics of the distribution a cell holds (or of a
 * distribution function given in place), known without simulating.
 */
export const THEORETICAL_FUNCTIONS: ReadonlyMap<
  string,
  StatisticsFunctionInfo<DistributionStatistic>
> = new Map(
  (Object.keys(STATISTICS) as DistributionStatistic[]).flatMap((statistic) => {
    const { risk, mc } = STATISTICS[statistic];
    const info = infoOf(statistic, STATISTICS[statistic]);
    return [
      ...risk.map((name) => [`RISKTHEO${name.slice(4).toUpperCase()}`, info] as const),
      [`MC.THEO${mc.slice(3)}`, info] as const,
    ];
  }),
);

/** A statistics function's name (upper case, as parsed) as @RISK spells it, for messages. */
export function statisticsFunctionName(name: string): string {
  const simulated = STATISTICS_FUNCTIONS.get(name);
  if (simulated) return SPELLINGS[simulated.statistic].risk[0];
  const theoretical = THEORETICAL_FUNCTIONS.get(name);
  return theoretical ? `RiskTheo${STATISTICS[theoretical.statistic].risk[0].slice(4)}` : name;
}

/** A RiskTruncate among a statistics call's arguments: it limits the values read, it is not an argument. */
export function isStatisticTruncate(node: FormulaNode): node is CallNode {
  return node.type === 'call' && (node.name === 'RISKTRUNCATE' || node.name === 'MC.TRUNCATE');
}

/** A statistics function, simulated or theoretical: its value is not part of a trial. */
export function isStatisticsFunction(name: string): boolean {
  return STATISTICS_FUNCTIONS.has(name) || THEORETICAL_FUNCTIONS.has(name);
}
