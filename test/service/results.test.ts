/** The worker's pure parts: chunk plans, the chunk codec, and rank correlations against the engine's. */
import { assembleResult, prepareRun, runRange } from '../../server/engine/simulate';
import { spearman } from '../../server/engine/statistics/ranks';
import { decodeChunk, encodeChunk } from '../../server/jobs/chunk-codec';
import { chunkRanges, chunkSizes } from '../../server/jobs/plan';
import { buildResults } from '../../server/jobs/results';
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
});

test('sensitivity equals the engine’s Spearman correlation, ties included', async () => {
  const run = prepareRun(slowModel(), { targets: ['B1'], iterations: 2_000, seed: 4 });
  const result = assembleResult(run, [await runRange(run, 0, 2_000)], 0);
  // Force ties into an input, as discrete distributions produce.
  result.inputs[0].values = result.inputs[0].values.map((v) => Math.round(v / 5));
  const { results } = await buildResults(result, ['B1'], { engine_used: 'cpu' });
  for (const entry of results.sensitivity.B1) {
    const input = result.inputs.find((i) => i.label === entry.input);
    expect(entry.rank_correlation).toBeCloseTo(spearman(input!.values, result.outputs[0].values), 12);
  }
  expect(results.outputs.B1.statistics.count).toBe(2_000);
});
