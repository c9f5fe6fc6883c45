/**
 * The host side of a generated kernel: a small CUDA program, compiled together with the kernel, that
 * the worker runs as a child process. It launches the kernel batch by batch, printing a progress line
 * after each (so the service's progress keeps flowing and a kill stops it between batches), and writes
 * the results of trials [START, START + COUNT) as raw little-endian arrays: per output, COUNT doubles then
 * COUNT outcome bytes. START lets a service chunk run its own trial range with the same draws as the CPU
 * backend (Philox is keyed by the trial index).
 *
 *   ./model SEED START COUNT BATCH OUT_FILE [REFERENCE_FILE]
 *   ./model serve        then "run SEED START COUNT BATCH OUT_FILE" lines on stdin, each answered by
 *                        "finished" on stderr: the service's chunks, without starting the device each time
 *
 * OUT_FILE "-" discards the results (throughput runs). REFERENCE_FILE, in the same layout (the CPU
 * backend's results), is compared trial by trial: numbers within a relative 1e-9, error outcomes equal.
 * stderr lines: "device NAME", "progress DONE COUNT", "finished", "done SECONDS", "validated N" or "mismatch ...";
 * exit status 1 with "error ..." on any CUDA error, 2 on a mismatch, so the caller never mistakes a
 * failed run for a finished one. Built with MONTECELL_EMULATE defined (tests, plain C++ with stand-ins for
 * the CUDA runtime), the kernel is called as a function instead of launched.
 */
import { KERNEL_NAME } from './codegen';
import { DEVICE_STATISTICS_HEADER } from './device-statistics';

function checkedOutputs(outputs: number): number {
  if (!Number.isSafeInteger(outputs) || outputs < 1) throw new Error('internal: a kernel needs outputs');
  return outputs;
}

/** What both programs start with: headers, the CUDA error check and the output count. */
function prelude(outputs: number): string {
  return `
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <chrono>
#include <exception>
#include <vector>

#define MC_CHECK(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) { \\
  std::fprintf(stderr, "error %s\\n", cudaGetErrorString(e_)); return 1; } } while (0)

static const int OUTPUTS = ${checkedOutputs(outputs)};

// The "device NAME" line; false, after an "error" line, when there is no usable device.
static bool announceDevice() {
  cudaDeviceProp prop;
  const cudaError_t e = cudaGetDeviceProperties(&prop, 0);
  if (e != cudaSuccess) { std::fprintf(stderr, "error %s\\n", cudaGetErrorString(e)); return false; }
  std::fprintf(stderr, "device %s\\n", prop.name);
  return true;
}
`;
}

/**
 * One launch of the kernel over `count` trials from trial `first` (C++ expressions), a grid-stride loop
 * over at most 65,535 × 8 blocks of 256 threads; emulated, a plain call.
 */
function launch(first: string, count: string, pitch: string, values: string, outcomes: string): string {
  const args = `seed, ${first}, ${count}, ${pitch}, ${values}, ${outcomes}`;
  return `{
    const int threads = 256;
    const unsigned long long wanted = (${count} + threads - 1) / threads;
    const int blocks = (int)(wanted < 65535ull * 8 ? wanted : 65535ull * 8);
#ifdef MONTECELL_EMULATE
    (void)blocks;
    ${KERNEL_NAME}(${args});
#else
    ${KERNEL_NAME}<<<blocks, threads>>>(${args});
#endif
    MC_CHECK(cudaGetLastError());
    MC_CHECK(cudaDeviceSynchronize());
  }`;
}

export function generateHostProgram(outputs: number): string {
  return `${prelude(outputs)}

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

// Trials [first, first + iterations) in batches; results to outFile ("-": dropped), compared with the
// reference file when there is one. 0, or 1 after an "error" line, or 2 after "mismatch" lines.
static int runTrialsOrThrow(unsigned long long seed, unsigned long long first, unsigned long long iterations,
                            unsigned long long batch, const char* outFile, const char* reference) {
  const bool keep = std::strcmp(outFile, "-") != 0 || reference != nullptr;
  if (batch == 0 || seed >= (1ull << 53) || first >= (1ull << 53) || iterations >= (1ull << 53)) {
    std::fprintf(stderr, "error bad arguments\\n");
    return 1;
  }
  double* values = nullptr;
  unsigned char* outcomes = nullptr;
  MC_CHECK(cudaMalloc(&values, sizeof(double) * OUTPUTS * batch));
  MC_CHECK(cudaMalloc(&outcomes, OUTPUTS * batch));
  std::vector<double> hostValues(keep ? (size_t)(OUTPUTS * iterations) : 0);
  std::vector<unsigned char> hostOutcomes(keep ? (size_t)(OUTPUTS * iterations) : 0);
  const auto began = std::chrono::steady_clock::now();
  for (unsigned long long start = 0; start < iterations; start += batch) {
    const unsigned long long count = iterations - start < batch ? iterations - start : batch;
    ${launch('first + start', 'count', 'count', 'values', 'outcomes')}
    if (keep) {
      for (int j = 0; j < OUTPUTS; j++) {
        MC_CHECK(cudaMemcpy(&hostValues[j * iterations + start], values + j * count, sizeof(double) * count, cudaMemcpyDeviceToHost));
        MC_CHECK(cudaMemcpy(&hostOutcomes[j * iterations + start], outcomes + j * count, count, cudaMemcpyDeviceToHost));
      }
    }
    std::fprintf(stderr, "progress %llu %llu\\n", start + count, iterations);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  MC_CHECK(cudaFree(values));
  MC_CHECK(cudaFree(outcomes));
  if (keep && std::strcmp(outFile, "-") != 0) {
    FILE* out = std::fopen(outFile, "wb");
    if (!out) { std::fprintf(stderr, "error cannot write results\\n"); return 1; }
    for (int j = 0; j < OUTPUTS; j++) {
      if (std::fwrite(&hostValues[j * iterations], sizeof(double), iterations, out) != iterations ||
          std::fwrite(&hostOutcomes[j * iterations], 1, iterations, out) != iterations) {
        std::fprintf(stderr, "error cannot write results\\n");
        std::fclose(out);
        return 1;
      }
    }
    if (std::fclose(out) != 0) { std::fprintf(stderr, "error cannot write results\\n"); return 1; }
  }
  std::fprintf(stderr, "done %.6f\\n", seconds);
  return reference ? compareWithReference(reference, hostValues, hostOutcomes, iterations) : 0;
}

static int runTrials(unsigned long long seed, unsigned long long first, unsigned long long iterations,
                     unsigned long long batch, const char* outFile, const char* reference) {
  try {
    return runTrialsOrThrow(seed, first, iterations, batch, outFile, reference);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error %s (host memory for %llu trials of %d outputs)\\n", e.what(), iterations, OUTPUTS);
    return 1;
  }
}

// Serving: one "run SEED START COUNT BATCH OUT_FILE" line at a time on stdin, each answered by
// "finished" on stderr once its results are written (after its progress lines, on the same stream, so
// that the worker reads them in order); the device is set up once for them all. A failed
// run ends the program with its status (a CUDA error may leave the device unusable to this process).
static int serve() {
  char line[4096];
  while (std::fgets(line, sizeof line, stdin)) {
    unsigned long long seed, first, iterations, batch;
    char outFile[4000];
    if (std::strcmp(line, "quit\\n") == 0) return 0;
    if (std::sscanf(line, "run %llu %llu %llu %llu %3999[^\\n]", &seed, &first, &iterations, &batch, outFile) != 5) {
      std::fprintf(stderr, "error bad request: %s", line);
      return 1;
    }
    const int status = runTrials(seed, first, iterations, batch, outFile, nullptr);
    if (status != 0) return status;
    std::fprintf(stderr, "finished\\n");
  }
  return 0;
}

int main(int argc, char** argv) {
  const bool serving = argc == 2 && std::strcmp(argv[1], "serve") == 0;
  if (!serving && argc != 6 && argc != 7) {
    std::fprintf(stderr, "error usage: SEED START COUNT BATCH OUT_FILE [REFERENCE_FILE] | serve\\n");
    return 1;
  }
  if (!announceDevice()) return 1;
  if (serving) return serve();
  return runTrials(std::strtoull(argv[1], nullptr, 10), std::strtoull(argv[2], nullptr, 10),
                   std::strtoull(argv[3], nullptr, 10), std::strtoull(argv[4], nullptr, 10), argv[5],
                   argc == 7 ? argv[6] : nullptr);
}
`;
}

/**
 * The summary program of a kernel: the whole run stays on the device and only its statistics come back
 * (device-statistics.ts, linked in). It launches the kernel batch by batch into arrays holding every
 * trial, writes the first RECORD trials (sensitivity and the check against the CPU backend need them)
 * to RECORD_FILE in the layout of the values program, then prepares each output on the device and
 * answers the summary's questions on stdin/stdout, one line each:
 *
 *   ./model summary SEED COUNT BATCH RECORD RECORD_FILE
 *
 * stdout: "facts J NUMERIC MEAN M2 M3 M4 [CODE:COUNT ...]" per output (the error outcomes by code), then
 * "ready"; then, per question, "at J RANK..." → "values X...", "below J X..." or "atorbelow J X..." →
 * "counts N..." (values below, or at most, each X). "quit" or the end of stdin ends it with status 0.
 * stderr: "device NAME", "progress DONE COUNT", "done SECONDS" (the trials), "statistics SECONDS",
 * and "error ..." with status 1 on any failure.
 */
export function generateSummaryProgram(outputs: number): string {
  return `${prelude(outputs)}
#include <iostream>
#include <sstream>
#include <string>
${DEVICE_STATISTICS_HEADER}

// A double as the host reads it back: %.17g, or Infinity, -Infinity, NaN (moments of huge values).
static void printDouble(double x) {
  if (std::isnan(x)) std::printf(" NaN");
  else if (std::isinf(x)) std::printf(x > 0 ? " Infinity" : " -Infinity");
  else std::printf(" %.17g", x);
}

static double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One question about output j's sorted numeric values; false (after an "error" line) if it is malformed.
static bool answer(const std::string& line, double* values, unsigned long long trials, const std::vector<unsigned long long>& numeric) {
  std::istringstream in(line);
  std::string verb;
  int j = -1;
  in >> verb >> j;
  if (j < 0 || j >= OUTPUTS) { std::fprintf(stderr, "error bad question: %s\\n", line.c_str()); return false; }
  const double* sorted = values + (size_t)j * trials;
  char error[MC_ERROR_SIZE] = "";
  if (verb == "at") {
    std::vector<unsigned long long> ranks;
    for (unsigned long long r; in >> r;) ranks.push_back(r);
    std::vector<double> found(ranks.size());
    if (mc_values_at(sorted, numeric[j], ranks.data(), (int)ranks.size(), found.data(), error) != 0) {
      std::fprintf(stderr, "error %s\\n", error);
      return false;
    }
    std::printf("values");
    for (double x : found) printDouble(x);
  } else if (verb == "below" || verb == "atorbelow") {
    std::vector<double> xs;
    for (double x; in >> x;) xs.push_back(x);
    std::vector<unsigned long long> found(xs.size());
    if (mc_count_below(sorted, numeric[j], xs.data(), (int)xs.size(), verb == "atorbelow", found.data(), error) != 0) {
      std::fprintf(stderr, "error %s\\n", error);
      return false;
    }
    std::printf("counts");
    for (unsigned long long n : found) std::printf(" %llu", n);
  } else {
    std::fprintf(stderr, "error bad question: %s\\n", line.c_str());
    return false;
  }
  std::printf("\\n");
  std::fflush(stdout);
  return true;
}

int main(int argc, char** argv) {
  if (argc != 7 || std::strcmp(argv[1], "summary") != 0) {
    std::fprintf(stderr, "error usage: summary SEED COUNT BATCH RECORD RECORD_FILE\\n");
    return 1;
  }
  const unsigned long long seed = std::strtoull(argv[2], nullptr, 10);
  const unsigned long long iterations = std::strtoull(argv[3], nullptr, 10);
  const unsigned long long batch = std::strtoull(argv[4], nullptr, 10);
  const unsigned long long record = std::strtoull(argv[5], nullptr, 10);
  if (batch == 0 || iterations == 0 || record > iterations || seed >= (1ull << 53) || iterations >= (1ull << 53)) {
    std::fprintf(stderr, "error bad arguments\\n");
    return 1;
  }
  if (!announceDevice()) return 1;
  // Every trial's outputs, then, while one output is summarised, its sort buffer and error codes:
  // refused now rather than after all the trials have run.
  size_t freeBytes = 0, totalBytes = 0;
  MC_CHECK(cudaMemGetInfo(&freeBytes, &totalBytes));
  const double needed = 9.0 * OUTPUTS * iterations + 9.0 * iterations;
  if (needed > (double)freeBytes) {
    std::fprintf(stderr, "error the GPU's memory cannot hold %llu trials of %d outputs (%.1f GB needed, %.1f GB free)\\n",
                 iterations, OUTPUTS, needed / 1e9, freeBytes / 1e9);
    return 1;
  }
  double* values = nullptr;
  unsigned char* outcomes = nullptr;
  if (cudaMalloc(&values, sizeof(double) * OUTPUTS * iterations) != cudaSuccess ||
      cudaMalloc(&outcomes, (size_t)OUTPUTS * iterations) != cudaSuccess) {
    std::fprintf(stderr, "error the GPU's memory cannot hold %llu trials of %d outputs (%.1f GB)\\n", iterations,
                 OUTPUTS, 9.0 * OUTPUTS * iterations / 1e9);
    return 1;
  }
  const auto began = std::chrono::steady_clock::now();
  for (unsigned long long start = 0; start < iterations; start += batch) {
    const unsigned long long count = iterations - start < batch ? iterations - start : batch;
    ${launch('start', 'count', 'iterations', 'values + start', 'outcomes + start')}
    std::fprintf(stderr, "progress %llu %llu\\n", start + count, iterations);
  }
  std::fprintf(stderr, "done %.6f\\n", secondsSince(began));

  FILE* out = std::fopen(argv[6], "wb");
  if (!out) { std::fprintf(stderr, "error cannot write the recorded trials\\n"); return 1; }
  std::vector<double> hostValues(record);
  std::vector<unsigned char> hostOutcomes(record);
  for (int j = 0; j < OUTPUTS; j++) {
    MC_CHECK(cudaMemcpy(hostValues.data(), values + (size_t)j * iterations, sizeof(double) * record, cudaMemcpyDeviceToHost));
    MC_CHECK(cudaMemcpy(hostOutcomes.data(), outcomes + (size_t)j * iterations, record, cudaMemcpyDeviceToHost));
    if (std::fwrite(hostValues.data(), sizeof(double), record, out) != record ||
        std::fwrite(hostOutcomes.data(), 1, record, out) != record) {
      std::fprintf(stderr, "error cannot write the recorded trials\\n");
      return 1;
    }
  }
  if (std::fclose(out) != 0) { std::fprintf(stderr, "error cannot write the recorded trials\\n"); return 1; }

  const auto summarizing = std::chrono::steady_clock::now();
  std::vector<unsigned long long> numeric(OUTPUTS);
  for (int j = 0; j < OUTPUTS; j++) {
    McOutputFacts facts;
    char error[MC_ERROR_SIZE] = "";
    if (mc_prepare_output(values + (size_t)j * iterations, outcomes + (size_t)j * iterations, iterations, &facts, error) != 0) {
      std::fprintf(stderr, "error %s\\n", error);
      return 1;
    }
    numeric[j] = facts.numeric;
    std::printf("facts %d %llu", j, facts.numeric);
    for (double x : {facts.mean, facts.m2, facts.m3, facts.m4}) printDouble(x);
    for (int code = 1; code < 256; code++)
      if (facts.outcomes[code] > 0) std::printf(" %d:%llu", code, facts.outcomes[code]);
    std::printf("\\n");
  }
  std::fprintf(stderr, "statistics %.6f\\n", secondsSince(summarizing));
  std::printf("ready\\n");
  std::fflush(stdout);
  for (std::string line; std::getline(std::cin, line) && line != "quit";)
    if (!answer(line, values, iterations, numeric)) return 1;
  return 0;
}
`;
}
