/**
 * The host side of a generated kernel: a small CUDA program, compiled together with the kernel, that
 * the worker runs as a child process. It launches the kernel batch by batch, printing a progress line
 * after each (so the service's progress keeps flowing and a kill stops it between batches), and writes
 * the results of trials [START, START + COUNT) as raw little-endian arrays: per output, COUNT doubles then
 * COUNT outcome bytes. START lets a service chunk run its own trial range with the same draws as the CPU
 * backend (Philox is keyed by the trial index).
 *
 *   ./model SEED START COUNT BATCH OUT_FILE [REFERENCE_FILE]
 *
 * OUT_FILE "-" discards the results (throughput runs). REFERENCE_FILE, in the same layout (the CPU
 * backend's results), is compared trial by trial: numbers within a relative 1e-9, error outcomes equal.
 * stderr lines: "device NAME", "progress DONE COUNT", "done SECONDS", "validated N" or "mismatch ...";
 * exit status 1 with "error ..." on any CUDA error, 2 on a mismatch, so the caller never mistakes a
 * failed run for a finished one. Built with MONTECELL_EMULATE defined (tests, plain C++ with stand-ins for
 * the CUDA runtime), the kernel is called as a function instead of launched.
 */
import { KERNEL_NAME } from './codegen';

export function generateHostProgram(outputs: number): string {
  if (!Number.isSafeInteger(outputs) || outputs < 1) throw new Error('internal: a kernel needs outputs');
  return `
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <chrono>
#include <vector>

#define MC_CHECK(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) { \\
  std::fprintf(stderr, "error %s\\n", cudaGetErrorString(e_)); return 1; } } while (0)

static const int OUTPUTS = ${outputs};

static int compareWithReference(const char* file, const std::vector<double>& values,
                                const std::vector<unsigned char>& outcomes, unsigned long long iterations) {
  FILE* in = std::fopen(file, "rb");
  if (!in) { std::fprintf(stderr, "error cannot read the reference\\n"); return 1; }
  std::vector<double> cpu(iterations);
  std::vector<unsigned char> cpuOutcomes(iterations);
  int mismatches = 0;
  for (int j = 0; j < OUTPUTS; j++) {
    if (std::fread(cpu.data(), sizeof(double), iterations, in) != iterations ||
        std::fread(cpuOutcomes.data(), 1, iterations, in) != iterations) {
      std::fprintf(stderr, "error the reference is too short\\n");
      return 1;
    }
    for (unsigned long long i = 0; i < iterations; i++) {
      const double g = values[j * iterations + i], c = cpu[i];
      const unsigned char go = outcomes[j * iterations + i], co = cpuOutcomes[i];
      const bool same = (co == 0 && go == 0 && std::fabs(g - c) <= 1e-9 * std::fmax(1.0, std::fabs(c))) || (co != 0 && go == co);
      if (!same && mismatches++ < 5)
        std::fprintf(stderr, "mismatch output %d trial %llu: GPU %.17g (outcome %d) vs CPU %.17g (outcome %d)\\n", j, i, g, go, c, co);
    }
  }
  std::fclose(in);
  if (mismatches > 0) { std::fprintf(stderr, "mismatch total %d\\n", mismatches); return 2; }
  std::fprintf(stderr, "validated %llu trials x %d outputs\\n", iterations, OUTPUTS);
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) { std::fprintf(stderr, "error usage: SEED START COUNT BATCH OUT_FILE [REFERENCE_FILE]\\n"); return 1; }
  const unsigned long long seed = std::strtoull(argv[1], nullptr, 10);
  const unsigned long long first = std::strtoull(argv[2], nullptr, 10);
  const unsigned long long iterations = std::strtoull(argv[3], nullptr, 10);
  const unsigned long long batch = std::strtoull(argv[4], nullptr, 10);
  const char* outFile = argv[5];
  const bool keep = std::strcmp(outFile, "-") != 0 || argc == 7;
  if (batch == 0 || seed >= (1ull << 53) || first >= (1ull << 53) || iterations >= (1ull << 53)) {
    std::fprintf(stderr, "error bad arguments\\n");
    return 1;
  }
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
#ifdef MONTECELL_EMULATE
    (void)blocks;
    ${KERNEL_NAME}(seed, first + start, count, values, outcomes);
#else
    ${KERNEL_NAME}<<<blocks, threads>>>(seed, first + start, count, values, outcomes);
#endif
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
  if (keep && std::strcmp(outFile, "-") != 0) {
    FILE* out = std::fopen(outFile, "wb");
    if (!out) { std::fprintf(stderr, "error cannot write results\\n"); return 1; }
    for (int j = 0; j < OUTPUTS; j++) {
      if (std::fwrite(&hostValues[j * iterations], sizeof(double), iterations, out) != iterations ||
          std::fwrite(&hostOutcomes[j * iterations], 1, iterations, out) != iterations) {
        std::fprintf(stderr, "error cannot write results\\n");
        return 1;
      }
    }
    if (std::fclose(out) != 0) { std::fprintf(stderr, "error cannot write results\\n"); return 1; }
  }
  std::fprintf(stderr, "done %.6f\\n", seconds);
  return argc == 7 ? compareWithReference(argv[6], hostValues, hostOutcomes, iterations) : 0;
}
`;
}
