/**
 * A finished run put together from its ranges: its results as clients see them (shared/model/results)
 * and each output's values in trial order (the service keeps them for download). An engine thread does
 * this (./engine-thread); tests and benchmarks call it in-process.
 *
 * A run of several simulations (RiskSimtable) is assembled one simulation at a time. When its statistics
 * cells name a simulation (RiskMean(B3, 2)), each simulation before the last hands back the cells those
 * functions read, and the last computes every simulation's statistics cells with all of them.
 */
import type { SimulationResults } from '../../../shared/model';
import { cellLabel } from '../graph/model-graph';
import { assembleResult, type ChunkResult, type EngineResult, type PreparedRun } from '../simulate';
import {
  type SimulatedCell,
  type StatisticsCellValues,
  statisticsCellValues,
} from '../statistics/cell-statistics';
import { sortedSample } from '../statistics/histogram';
import {
  describeSimulation,
  type EnginesUsed,
  simulationsResults,
  withStatisticsCells,
} from '../statistics/results';
import { sortedCopy } from '../statistics/summary';

export interface AssembledRun {
  results: SimulationResults;
  samples: Float64Array[];
  /** A simulation before the last whose statistics cells name simulations: the cells they read. */
  exported?: ExportedCell[];
  /**
   * The last simulation's: each earlier simulation's statistics cells, computed with every simulation's
   * values (none for a simulation that exported nothing).
   */
  earlierCells?: (StatisticsCellValues | undefined)[];
}

/** A SimulatedCell as it crosses threads: its numbers alone, sorted again where they arrive (half the bytes). */
export type ExportedCell = Omit<SimulatedCell, 'sorted'>;

export interface AssemblyOptions {
  /** The backends the ranges ran on, as the results name them. */
  engines: EnginesUsed;
  /**
   * Key the outputs by the run's targets as the client named them (the service), when they line up one
   * to one with the outputs; otherwise by the engine's labels ("Sheet1!B10", the CLI).
   */
  keyByTargets: boolean;
  /**
   * In a run of several simulations: which this is (1 first), of how many, and for the last, the cells
   * each earlier one exported, earlier[k - 1] for simulation k.
   */
  simulation?: { index: number; count: number; earlier?: (ExportedCell[] | undefined)[] };
}

/** `chunks` must cover the run's trials exactly. */
export async function assembleRun(
  run: PreparedRun,
  targets: readonly string[],
  chunks: ChunkResult[],
  elapsedMs: number,
  options: AssemblyOptions,
): Promise<AssembledRun> {
  return describeAssembled(assembleResult(run, chunks, elapsedMs), targets, options);
}

/** The results of a run whose trials are all in `result`. */
export async function describeAssembled(
  result: EngineResult,
  targets: readonly string[],
  { engines, keyByTargets, simulation }: AssemblyOptions,
): Promise<AssembledRun> {
  const labels = result.outputs.map((o) => o.label);
  // Cells named by statistics functions (RiskMean(B10)) follow the targets, keyed by their labels.
  const keys =
    keyByTargets && targets.length <= labels.length ? [...targets, ...labels.slice(targets.length)] : labels;
  const samples = result.outputs.map((o) => o.values);
  const plan = result.statisticsCells;
  if (!plan?.namesSimulations || !simulation || simulation.count < 2)
    return { results: (await describeSimulation(result, engines, { keys })).results, samples };
  if (simulation.index < simulation.count) {
    const { results, simulated } = await describeSimulation(result, engines, { keys, simulations: 'later' });
    // only the cells statistics functions read, not every output
    const read = new Set(plan.subjects.map((cell) => cellLabel(plan.book, cell)));
    const exported = simulated.filter((c) => read.has(c.label)).map(({ sorted: _sorted, ...cell }) => cell);
    return { results, samples, exported };
  }
  const earlier = (simulation.earlier ?? []).map((cells) => cells?.map(importCell));
  // every simulation's cells, this one's once described (its own statistics read them directly)
  const cellsWith = (own?: SimulatedCell[]) => (k: number) =>
    k === simulation.index ? own : Number.isInteger(k) ? earlier[k - 1] : undefined;
  const described = await describeSimulation(result, engines, { keys, simulations: cellsWith() });
  const every = cellsWith(described.simulated);
  return {
    results: described.results,
    samples,
    earlierCells: earlier.map((cells, i) => cells && statisticsCellValues(plan, cells, i + 1, every)),
  };
}

/** Every simulation's results as one, each earlier simulation with the statistics cells the last computed. */
export function assembledResults(
  assembled: readonly Pick<AssembledRun, 'results' | 'earlierCells'>[],
): SimulationResults {
  const cells = assembled[assembled.length - 1]?.earlierCells;
  return simulationsResults(
    assembled.map((a, i) => (cells?.[i] ? withStatisticsCells(a.results, cells[i]) : a.results)),
  );
}

function importCell(cell: ExportedCell): SimulatedCell {
  return { ...cell, sorted: sortedSample(sortedCopy(cell.numeric)) };
}
