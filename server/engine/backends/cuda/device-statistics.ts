/**
 * The statistics half of a summary run (./host.ts, `summary` mode), as CUDA C++ over Thrust: each
 * output's trials stay in device memory, where they are counted by outcome, compacted to the numeric
 * ones, reduced to moments and sorted; the host then reads only the order statistics and counts the
 * summary asks for (statistics/summary.ts), so a run of 10^8 trials sends a few kilobytes over the bus.
 *
 * It is the same for every model, so it is built once per toolchain into an object file and linked into
 * each model's summary program. Compiled by a host compiler with Thrust's CPP device system (the tests'
 * emulation), the same calls run sequentially in host memory.
 */

/** The layout of McOutputFacts, mirrored by the host program's reader. */
export const OUTCOME_SLOTS = 256;

/** The declarations both the library and each model's summary program include. */
export const DEVICE_STATISTICS_HEADER = `
#ifndef MONTECELL_STATISTICS_H
#define MONTECELL_STATISTICS_H
#define MC_ERROR_SIZE 512
struct McOutputFacts {
  unsigned long long numeric;
  double mean, m2, m3, m4;
  unsigned long long outcomes[${OUTCOME_SLOTS}];
};
// Counts the trials by outcome, moves the numeric values to the front of values (in place), sorts them
// and computes their mean and central moment sums. Returns 0, or 1 with a message in error.
int mc_prepare_output(double* values, const unsigned char* outcomes, unsigned long long trials,
                      McOutputFacts* facts, char* error);
// out[i] = sorted[ranks[i]] (ranks and out in host memory).
int mc_values_at(const double* sorted, unsigned long long n, const unsigned long long* ranks, int k,
                 double* out, char* error);
// out[i] = how many sorted values are below xs[i] (at most xs[i] when inclusive).
int mc_count_below(const double* sorted, unsigned long long n, const double* xs, int k, int inclusive,
                   unsigned long long* out, char* error);
#endif
`;

export const DEVICE_STATISTICS_SOURCE = `
// Montecell device statistics (fixed source, no model code): Thrust over one output's trials.
#include <thrust/binary_search.h>
#include <thrust/copy.h>
#include <thrust/count.h>
#include <thrust/device_ptr.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/fill.h>
#include <thrust/gather.h>
#include <thrust/iterator/constant_iterator.h>
#include <thrust/reduce.h>
#include <thrust/remove.h>
#include <thrust/sort.h>
#include <thrust/transform_reduce.h>
#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

${DEVICE_STATISTICS_HEADER}

namespace {

struct IsNegativeZero {
  __host__ __device__ bool operator()(double x) const { return x == 0.0 && 1.0 / x < 0.0; }
};

struct IsError {
  __host__ __device__ bool operator()(unsigned char outcome) const { return outcome != 0; }
};

// A sum with its rounding error carried alongside (TwoSum at every merge), so the mean of 10^8 values
// is as exact as the CPU backend's compensated loop whatever order the device adds them in.
struct CompensatedSum {
  double sum, error;
};

struct ToCompensated {
  __host__ __device__ CompensatedSum operator()(double x) const { return CompensatedSum{x, 0.0}; }
};

struct AddCompensated {
  __host__ __device__ CompensatedSum operator()(const CompensatedSum& a, const CompensatedSum& b) const {
    const double s = a.sum + b.sum;
    const double bb = s - a.sum;
    const double rounding = (a.sum - (s - bb)) + (b.sum - bb);
    return CompensatedSum{s, a.error + b.error + rounding};
  }
};

struct CentralPowers {
  double m2, m3, m4;
};

struct ToCentralPowers {
  double mean;
  __host__ __device__ CentralPowers operator()(double x) const {
    const double d = x - mean, d2 = d * d;
    return CentralPowers{d2, d2 * d, d2 * d2};
  }
};

struct AddCentralPowers {
  __host__ __device__ CentralPowers operator()(const CentralPowers& a, const CentralPowers& b) const {
    return CentralPowers{a.m2 + b.m2, a.m3 + b.m3, a.m4 + b.m4};
  }
};

int fail(char* error, const char* what) {
  std::snprintf(error, MC_ERROR_SIZE, "%s", what);
  return 1;
}

}  // namespace

int mc_prepare_output(double* values, const unsigned char* outcomes, unsigned long long trials,
                      McOutputFacts* facts, char* error) {
  try {
    std::memset(facts, 0, sizeof(McOutputFacts));
    const thrust::device_ptr<double> v = thrust::device_pointer_cast(values);
    const thrust::device_ptr<const unsigned char> o = thrust::device_pointer_cast(outcomes);
    const unsigned long long errors = thrust::count_if(o, o + trials, IsError());
    facts->outcomes[0] = trials - errors;
    if (errors > 0) {
      thrust::device_vector<unsigned char> codes(errors);
      thrust::copy_if(o, o + trials, codes.begin(), IsError());
      thrust::sort(codes.begin(), codes.end());
      thrust::device_vector<unsigned char> kinds(errors);
      thrust::device_vector<unsigned long long> counts(errors);
      const auto ends = thrust::reduce_by_key(codes.begin(), codes.end(),
                                              thrust::constant_iterator<unsigned long long>(1), kinds.begin(),
                                              counts.begin());
      const size_t distinct = ends.first - kinds.begin();
      std::vector<unsigned char> hostKinds(distinct);
      std::vector<unsigned long long> hostCounts(distinct);
      thrust::copy(kinds.begin(), kinds.begin() + distinct, hostKinds.begin());
      thrust::copy(counts.begin(), counts.begin() + distinct, hostCounts.begin());
      for (size_t i = 0; i < distinct; i++) facts->outcomes[hostKinds[i]] = hostCounts[i];
    }
    // The numeric trials move to the front, in trial order; the rest of the array is left as scratch.
    const unsigned long long n = thrust::remove_if(v, v + trials, o, IsError()) - v;
    facts->numeric = n;
    if (n == 0) return 0;
    const CompensatedSum total =
        thrust::transform_reduce(v, v + n, ToCompensated(), CompensatedSum{0.0, 0.0}, AddCompensated());
    facts->mean = (total.sum + total.error) / (double)n;
    const CentralPowers powers = thrust::transform_reduce(v, v + n, ToCentralPowers{facts->mean},
                                                          CentralPowers{0.0, 0.0, 0.0}, AddCentralPowers());
    facts->m2 = powers.m2;
    facts->m3 = powers.m3;
    facts->m4 = powers.m4;
    thrust::sort(v, v + n);
    // A radix sort takes -0 and +0 as equal and leaves them in trial order; the CPU backend puts every
    // -0 first, which the minimum and the percentiles show.
    const auto zeros = thrust::equal_range(v, v + n, 0.0);
    const unsigned long long negative = thrust::count_if(zeros.first, zeros.second, IsNegativeZero());
    if (negative > 0) {
      thrust::fill(zeros.first, zeros.first + negative, -0.0);
      thrust::fill(zeros.first + negative, zeros.second, 0.0);
    }
    return 0;
  } catch (const std::exception& e) {
    return fail(error, e.what());
  }
}

int mc_values_at(const double* sorted, unsigned long long n, const unsigned long long* ranks, int k,
                 double* out, char* error) {
  try {
    for (int i = 0; i < k; i++)
      if (ranks[i] >= n) return fail(error, "rank out of range");
    const thrust::device_vector<unsigned long long> at(ranks, ranks + k);
    thrust::device_vector<double> found(k);
    thrust::gather(at.begin(), at.end(), thrust::device_pointer_cast(sorted), found.begin());
    thrust::copy(found.begin(), found.end(), out);
    return 0;
  } catch (const std::exception& e) {
    return fail(error, e.what());
  }
}

int mc_count_below(const double* sorted, unsigned long long n, const double* xs, int k, int inclusive,
                   unsigned long long* out, char* error) {
  try {
    const thrust::device_ptr<const double> s = thrust::device_pointer_cast(sorted);
    const thrust::device_vector<double> at(xs, xs + k);
    thrust::device_vector<unsigned long long> found(k);
    if (inclusive)
      thrust::upper_bound(s, s + n, at.begin(), at.end(), found.begin());
    else
      thrust::lower_bound(s, s + n, at.begin(), at.end(), found.begin());
    thrust::copy(found.begin(), found.end(), out);
    return 0;
  } catch (const std::exception& e) {
    return fail(error, e.what());
  }
}
`;
