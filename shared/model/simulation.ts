/** What a client asks the service (or the CLI asks the engine) to simulate. */
import { z } from 'zod';
import { MAX_SIMULATIONS } from '../functions/simtable';
import { DistributionSpec } from './distribution';
import { LIMITS } from './limits';
import { WorkbookModel } from './workbook';

/** "B10", "Sheet1!B10", "'My Sheet'!B10" or a defined name. */
export const TargetCell = z.string().min(1).max(300);

export const Sampling = z.enum(['monte_carlo', 'latin_hypercube']);
export const EngineChoice = z.enum(['auto', 'cpu', 'gpu']);
/**
 * The engine a request names: "ultra", which the pane once offered and which always behaved as "auto",
 * is still accepted for clients written then, and read as "auto".
 */
const RequestedEngine = z
  .enum(['auto', 'cpu', 'gpu', 'ultra'])
  .transform((engine): EngineChoice => (engine === 'ultra' ? 'auto' : engine));

export const Variable = z.object({ cell: TargetCell, distribution: DistributionSpec });

export const Correlation = z.object({
  /** The inputs (cells) correlated by rank, in matrix order. */
  cells: z.array(TargetCell).min(2).max(1_000),
  /** Target rank correlations, square, symmetric, unit diagonal. */
  matrix: z.array(z.array(z.number().min(-1).max(1))),
});

export const Iterations = z
  .number({ error: 'iterations must be a number' })
  .int('iterations must be a whole number')
  .min(1, 'iterations must be at least 1')
  .max(LIMITS.maxIterations, `iterations must be at most ${LIMITS.maxIterations.toLocaleString('en-US')}`);

export const SimulationOptions = z.object({
  target_cells: z
    .array(TargetCell)
    .min(1, 'name at least one target cell')
    .max(LIMITS.maxTargets, `at most ${LIMITS.maxTargets} target cells`),
  variables: z.array(Variable).max(LIMITS.maxVariables).default([]),
  iterations: Iterations,
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  sampling: Sampling.default('monte_carlo'),
  engine: RequestedEngine.default('auto'),
  correlations: z.array(Correlation).max(100).default([]),
  /** Run until every output's mean is within ± relative_tolerance at 95 % confidence (iterations is the cap). */
  auto_stop: z
    .object({
      relative_tolerance: z.number().gt(0).lt(1),
      min_iterations: z.number().int().min(2).optional(),
    })
    .optional(),
  /**
   * How many simulations the run holds (RiskSimtable's scenarios), each of `iterations` trials from the
   * same seed; by default one per entry of the model's longest RiskSimtable list.
   */
  simulations: z
    .number()
    .int('simulations must be a whole number')
    .min(1, 'simulations must be at least 1')
    .max(MAX_SIMULATIONS, `simulations must be at most ${MAX_SIMULATIONS}`)
    .optional(),
  client_id: z.string().max(100).optional(),
});

export const SimulationRequest = SimulationOptions.extend({
  file_id: z.string().uuid().optional(),
  model: WorkbookModel.optional(),
}).refine((r) => (r.file_id === undefined) !== (r.model === undefined), {
  message: 'give exactly one of file_id or model',
  path: ['file_id'],
});

export type SimulationRequest = z.infer<typeof SimulationRequest>;
export type SimulationOptions = z.infer<typeof SimulationOptions>;
export type Sampling = z.infer<typeof Sampling>;
export type EngineChoice = z.infer<typeof EngineChoice>;
export type Variable = z.infer<typeof Variable>;
export type Correlation = z.infer<typeof Correlation>;
