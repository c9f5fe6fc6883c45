/**
 * What the intake threads do with what a request carries: read an uploaded workbook, or parse,
 * validate and compile a simulation request. Pure functions of their input; everything a request
 * sends passes through here before the API stores it, and nothing here runs on the API's event loop.
 */
import { randomInt } from 'node:crypto';
import { formulaCellCount, LIMITS, SimulationRequest, WorkbookModel } from '../../shared/model';
import { ApiError, describeIssues } from '../api/errors';
import { prepareRun, simulationCount } from '../engine/simulate';
import { engineRequest, type StoredRun } from '../queue/stored-run';
import { readWorkbook } from '../xlsx/read-workbook';

export interface UploadTask {
  kind: 'upload';
  bytes: Uint8Array;
  maxUncompressedBytes: number;
}

export interface UploadSummary {
  /** The model as JSON text, ready to store: the API never parses or stringifies it. */
  modelText: string;
  sheets: { name: string; formula_cells: number; value_cells: number }[];
}

export interface SubmissionTask {
  kind: 'submission';
  /** The request body as sent (JSON). */
  body: Uint8Array;
  owner: string;
  /** The uploaded model the request names by file_id, as stored; absent on the first pass. */
  fileModelText?: string;
}

/** A request parsed, validated and compiled: what the API stores and enqueues. */
export interface PreparedSubmission {
  /** The StoredRun as JSON text, ready to store. */
  storedRunText: string;
  iterations: number;
  simulations: number;
  engine: StoredRun['options']['engine'];
  /** What compiling found that will not stop the run (a correlation matrix adjusted). */
  warnings: string[];
  /** The values a trial leaves for the assembly: its outputs and its inputs. */
  valuesPerTrial: number;
  client_id?: string;
  file_id?: string;
}

/** `needsFile`: the request names an upload; call again with its model. */
export type Submission = { needsFile: string } | PreparedSubmission;

export type IntakeTask = UploadTask | SubmissionTask;

export function readUpload(task: UploadTask): UploadSummary {
  const { model } = readWorkbook(task.bytes, {
    maxUncompressedBytes: task.maxUncompressedBytes,
    maxCells: LIMITS.maxCells,
  });
  // The same schema and limits as a model sent inline (formula length, sheet names, array areas, …).
  const valid = WorkbookModel.safeParse(model);
  if (!valid.success) {
    throw new ApiError(
      422,
      'invalid-workbook',
      `the workbook cannot be accepted: ${describeIssues(valid.error)}`,
      valid.error.issues.slice(0, 20),
    );
  }
  return {
    modelText: JSON.stringify(valid.data),
    sheets: valid.data.sheets.map((sheet) => {
      const formulas = formulaCellCount(sheet);
      return {
        name: sheet.name,
        formula_cells: formulas,
        value_cells: Object.keys(sheet.cells).length - formulas,
      };
    }),
  };
}

export function prepareSubmission(task: SubmissionTask): Submission {
  const request = SimulationRequest.parse(parseJson(task.body));
  const { file_id, model: inlineModel, ...options } = request;
  let model = inlineModel;
  if (file_id) {
    if (task.fileModelText === undefined) return { needsFile: file_id };
    model = JSON.parse(task.fileModelText) as WorkbookModel;
  }
  if (!model) throw new ApiError(400, 'invalid-request', 'give exactly one of file_id or model');
  const seeded = { ...options, seed: options.seed ?? randomInt(2 ** 31) };
  const engine = engineRequest(seeded);
  // Compiling is the check: a model that cannot run is refused now, with the engine's error.
  const { compiled } = prepareRun(model, engine);
  // What the run's assembly will recalculate, found here where the intake's time limit bounds it.
  compiled.statisticsCells?.afterRun();
  const simulations = simulationCount(compiled, options.simulations);
  if (simulations * options.iterations > LIMITS.maxIterations)
    throw new ApiError(
      422,
      'invalid-request',
      `${simulations} simulations of ${options.iterations.toLocaleString('en-US')} iterations exceed the ${LIMITS.maxIterations.toLocaleString('en-US')} trials a run may hold`,
    );
  const stored: StoredRun = {
    model,
    request: engine,
    options: seeded,
    owner: task.owner,
    simulations,
    ...(file_id ? { file_id } : {}),
  };
  return {
    storedRunText: JSON.stringify(stored),
    iterations: options.iterations,
    simulations,
    engine: options.engine,
    warnings: compiled.warnings,
    valuesPerTrial: compiled.program.outputs.length + compiled.program.inputs.length,
    ...(options.client_id ? { client_id: options.client_id } : {}),
    ...(file_id ? { file_id } : {}),
  };
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new ApiError(400, 'invalid-json', 'the request body is not valid JSON');
  }
}
