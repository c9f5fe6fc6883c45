/**
 * Compares the GPU's results file with the CPU backend's (layout of backends/cuda/host.ts) through the
 * validation routine; exits 1 with GPUValidationError's message on any mismatch.
 *
 *   npx tsx test/gpu/compare.ts GPU_FILE CPU_FILE OUTPUTS ITERATIONS
 */
import { readFileSync } from 'node:fs';
import { type BackendResult, validateDevice } from '../../server/engine/backends/cuda/device';

function read(file: string, outputs: number, iterations: number): BackendResult {
  const bytes = readFileSync(file);
  const result: BackendResult = { values: [], outcomes: [] };
  for (let j = 0, at = 0; j < outputs; j++) {
    result.values.push(
      new Float64Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + 8 * iterations)),
    );
    at += 8 * iterations;
    result.outcomes.push(
      new Uint8Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + iterations)),
    );
    at += iterations;
  }
  return result;
}

const [gpuFile, cpuFile, outputsText, iterationsText] = process.argv.slice(2);
const outputs = Number(outputsText);
const iterations = Number(iterationsText);
const gpu = read(gpuFile, outputs, iterations);
const cpu = read(cpuFile, outputs, iterations);
validateDevice({ run: async () => gpu }, cpu, { iterations }).then(
  () =>
    console.log(
      `  GPU matches the CPU backend on ${iterations} trials x ${outputs} outputs (tolerance 1e-9)`,
    ),
  (e: Error) => {
    console.log(`  ${e.message}`);
    process.exit(1);
  },
);
