/**
 * The host side of a generated kernel: a small CUDA program, compiled together with the kernel, that
 * the worker runs as a child process. It launches the kernel batch by batch, printing a progress line
 * after each (so the service's progress keeps flowing and a kill stops it between batches), and writes
 * the results as raw little-endian arrays: per output, `iterations` doubles then `iterations` outcome bytes.
 *
 *   ./model SEED ITERATIONS BATCH OUT_FILE      (OUT_FILE "-" discards the results: throughput runs)
 *
 * stderr lines: "device NAME", "progress DONE TOTAL", "done SECONDS"; exit status 1 with "error ..." on
 * any CUDA error, so the caller never mistakes a failed run for a finished one.
 */
import { KERNEL_NAME } from './codegen';

export function generateHostProgram(outputs: number): string {
  if (!Number.isSafeInteger(outputs) || outputs < 1) throw new Error('internal: a kernel needs outputs');
  return `
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <vector>

#define MC_CHECK(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) { \\
  std::fprintf(stderr, "error %s\\n", cudaGetErrorString(e_)); return 1; } } while (0)

static const int OUTPUTS = ${outputs};

int main(int argc, char** argv) {
  if (argc != 5) { std::fprintf(stderr, "error usage: SEED ITERATIONS BATCH OUT_FILE\\n"); return 1; }
  const unsigned long long seed = std::strtoull(argv[1], nullptr, 10);
  const unsigned long long iterations = std::strtoull(argv[2], nullptr, 10);
  const unsigned long long batch = std::strtoull(argv[3], nullptr, 10);
  const bool keep = std::strcmp(argv[4], "-") != 0;
  if (batch == 0 || seed >= (1ull << 53)) { std::fprintf(stderr, "error bad arguments\\n"); return 1; }
  cudaDeviceProp prop;
  MC_CHECK(cudaGetDeviceProperties(&prop, 0));
  std::fprintf(stderr, "device %s\\n", prop.name);
  double* values = nullptr;
  unsigned char* outcomes = nullptr;
  MC_CHECK(cudaMalloc(&values, sizeof(double) * OUTPUTS * batch));
  MC_CHECK(cudaMalloc(&outcomes, OUTPUTS * batch));
  std::vector<double> hostValues(keep ? (size_t)(OUTPUTS * iterations) : 0);
  std::vector<unsigned char> hostOutcomes(keep ? (size_t)(OUTPUTS * iterations) : 0);
  const int threads = 256;
  const auto began = std::chrono::steady_clock::now();
  for (unsigned long long start = 0; start < iterations; start += batch) {
    const unsigned long long count = iterations - start < batch ? iterations - start : batch;
    const unsigned long long wanted = (count + threads - 1) / threads;
    const int blocks = (int)(wanted < 65535ull * 8 ? wanted : 65535ull * 8);
    ${KERNEL_NAME}<<<blocks, threads>>>(seed, start, count, values, outcomes);
    MC_CHECK(cudaGetLastError());
    MC_CHECK(cudaDeviceSynchronize());
    if (keep) {
      for (int j = 0; j < OUTPUTS; j++) {
        MC_CHECK(cudaMemcpy(&hostValues[j * iterations + start], values + j * count, sizeof(double) * count, cudaMemcpyDeviceToHost));
        MC_CHECK(cudaMemcpy(&hostOutcomes[j * iterations + start], outcomes + j * count, count, cudaMemcpyDeviceToHost));
      }
    }
    std::fprintf(stderr, "progress %llu %llu\\n", start + count, iterations);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  if (keep) {
    FILE* out = std::fopen(argv[4], "wb");
    if (!out) { std::fprintf(stderr, "error cannot write results\\n"); return 1; }
    for (int j = 0; j < OUTPUTS; j++) {
      std::fwrite(&hostValues[j * iterations], sizeof(double), iterations, out);
      std::fwrite(&hostOutcomes[j * iterations], 1, iterations, out);
    }
    std::fclose(out);
  }
  std::fprintf(stderr, "done %.6f\\n", seconds);
  return 0;
}
`;
}
