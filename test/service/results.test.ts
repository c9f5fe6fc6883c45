/** The worker's pure parts: chunk plans, the chunk codec, and rank correlations against the engine's. */

import { assembleRun } from '../../server/engine/runtime/assembled-run';
import { decodeChunk, encodeChunk } from '../../server/engine/runtime/chunk-codec';
import { assembleResult, prepareRun, runRange } from '../../server/engine/simulate';
import { spearman } from '../../server/engine/statistics/ranks';
import { describeResults } from '../../server/engine/statistics/results';
import { chunkRanges, chunkSizes } from '../../server/queue/chunk-plan';
import { slowModel, smallModel } from './helpers';

test('chunk plans cover every trial once, in at most maxChunks chunks', () => {
  expect(chunkSizes(20, 50_000, 64)).toEqual([20]);
  expect(chunkSizes(10, 3, 64)).toEqual([3, 3, 2, 2]);
  const sizes = chunkSizes(10_000_000, 50_000, 64);
  expect(sizes).toHaveLength(64);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000_000);
  expect(chunkRanges([3, 3, 2])).toEqual([
    { start: 0, end: 3 },
    { start: 3, end: 6 },
    { start: 6, end: 8 },
  ]);
});

test('a chunk survives the Redis codec bit for bit', async () => {
  const run = prepareRun(smallModel(), { targets: ['B1', 'C1'], iterations: 1_000, seed: 9 });
  const chunk = await runRange(run, 200, 700);
  const back = decodeChunk(encodeChunk(chunk));
  expect(back.start).toBe(200);
  expect(back.end).toBe(700);
  expect(back.values).toEqual(chunk.values);
  expect(back.outcomes).toEqual(chunk.outcomes);
  expect(back.inputSamples).toEqual(chunk.inputSamples);
  expect(back.sorted).toBeUndefined();
});

test('a chunk with its sorted runs survives the codec, read in place or from a misaligned copy', async () => {
  const run = prepareRun(smallModel(), { targets: ['B1', 'C1'], iterations: 1_000, seed: 9 });
  const chunk = await runRange(run, 0, 333);
  chunk.sorted = chunk.values.map((v) => Float64Array.from(v).sort());
  const bytes = encodeChunk(chunk);
  const misaligned = Buffer.alloc(bytes.length + 3).subarray(3);
  bytes.copy(misaligned);
  for (const encoded of [Buffer.from(new Uint8Array(bytes)), misaligned]) {
    const back = decodeChunk(encoded);
    expect(back.values).toEqual(chunk.values);
    expect(back.outcomes).toEqual(chunk.outcomes);
    expect(back.inputSamples).toEqual(chunk.inputSamples);
    expect(back.sorted).toEqual(chunk.sorted);
  }
});

test('statistics from per-chunk sorted runs equal those of one sorted array, -0 and ties included', async () => {
  const run = prepareRun(slowModel(), { targets: ['B1'], iterations: 3_000, seed: 5 });
  const whole = await runRange(run, 0, 3_000);
  // Ties, zeros of both signs and a run of equal values, as discrete outputs produce.
  whole.values[0] = whole.values[0].map((v, i) =>
    i % 7 === 0 ? (i % 14 === 0 ? -0 : 0) : Math.round(v / 50),
  );
  const reference = await assembleRun(run, ['B1'], [whole], 0, {
    engines: { engine_used: 'cpu' },
    keyByTargets: true,
  });
  const bounds = [0, 700, 1_900, 2_600, 3_000];
  const chunks = bounds.slice(1).map((end, c) => {
    const start = bounds[c];
    const values = whole.values[0].slice(start, end);
    return {
      start,
      end,
      values: [values],
      outcomes: [whole.outcomes[0].slice(start, end)],
      inputSamples: whole.inputSamples.map((x) =>
        x.slice(Math.min(start, x.length), Math.min(end, x.length)),
      ),
      sorted: [Float64Array.from(values).sort()],
    };
  });
  expect(assembleResult(run, chunks, 0).outputs[0].sortedRuns).toHaveLength(4);
  const fromRuns = await assembleRun(run, ['B1'], chunks, 0, {
    engines: { engine_used: 'cpu' },
    keyByTargets: true,
  });
  expect(fromRuns.results.outputs.B1).toEqual(reference.results.outputs.B1);
});

test('sensitivity equals the engine’s Spearman correlation, ties included', async () => {
  const run = prepareRun(slowModel(), { targets: ['B1'], iterations: 2_000, seed: 4 });
  const result = assembleResult(run, [await runRange(run, 0, 2_000)], 0);
  // Force ties into an input, as discrete distributions produce.
  result.inputs[0].values = result.inputs[0].values.map((v) => Math.round(v / 5));
  const results = await describeResults(result, { engine_used: 'cpu' }, { keys: ['B1'] });
  for (const entry of results.sensitivity.B1) {
    const input = result.inputs.find((i) => i.label === entry.input);
    expect(entry.rank_correlation).toBeCloseTo(spearman(input!.values, result.outputs[0].values), 12);
  }
  expect(results.outputs.B1.statistics.count).toBe(2_000);
});

test('the assembled results carry the warning of a RiskCorrmat matrix that had to be adjusted', async () => {
  // ρ12 = ρ23 = 0.9 with ρ13 = -0.9: no set of variables has these correlations.
  const value = (v: number) => ({ value: v });
  const model = {
    version: 1 as const,
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,1))' },
          A2: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,2))' },
          A3: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,3))' },
          B1: { formula: '=A1+A2+A3' },
          ...{ D1: value(1), E1: value(0.9), F1: value(-0.9), D2: value(0.9), E2: value(1) },
          ...{ F2: value(0.9), D3: value(-0.9), E3: value(0.9), F3: value(1) },
        },
      },
    ],
    names: [],
  };
  const run = prepareRun(model, { targets: ['B1'], iterations: 2_000, seed: 3 });
  const chunks = await Promise.all([runRange(run, 0, 1_200), runRange(run, 1_200, 2_000)]);
  const { results } = await assembleRun(run, ['B1'], chunks, 0, {
    engines: { engine_used: 'cpu' },
    keyByTargets: true,
  });
  expect(results.warnings).toEqual([
    expect.stringMatching(/^RiskCorrmat of Sheet1!A[123]: correlation matrix is not positive semi-definite/),
  ]);
});
