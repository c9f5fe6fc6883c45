#!/usr/bin/env bash
# The GPU check (not part of npm test): generates the CUDA kernels of the benchmark models, builds each
# with its host program, runs it, compares its trials with the CPU backend's for the same seed, and
# prints throughput. Needs nvcc and an NVIDIA GPU.
#   test/gpu/run.sh [ITERATIONS_FOR_COMPARISON=200000] [ITERATIONS_FOR_THROUGHPUT=100000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
COMPARE=${1:-200000}
BENCH=${2:-100000000}
SEED=12345
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

nvidia-smi --query-gpu=name,memory.total,compute_cap,driver_version --format=csv,noheader
ARCH=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')

npx tsx test/gpu/prepare.ts "$WORK" "$SEED" "$COMPARE"
status=0
while read -r name outputs; do
  [ -n "$name" ] || continue
  echo "== $name ($outputs outputs)"
  nvcc -arch="sm_$ARCH" -fmad=false -O3 -o "$WORK/$name" "$WORK/$name.cu"
  "$WORK/$name" "$SEED" "$COMPARE" 10000000 "$WORK/$name.gpu" 2>"$WORK/$name.log" || { cat "$WORK/$name.log"; status=1; continue; }
  npx tsx test/gpu/compare.ts "$WORK/$name.gpu" "$WORK/$name.cpu" "$outputs" "$COMPARE" || status=1
  # Throughput: kernel only, outputs written once to device memory, in batches of 10^7 trials.
  "$WORK/$name" "$SEED" "$BENCH" 10000000 - 2>"$WORK/$name.bench" || { cat "$WORK/$name.bench"; status=1; continue; }
  seconds=$(awk '/^done/ {print $2}' "$WORK/$name.bench")
  awk -v n="$BENCH" -v s="$seconds" -v o="$outputs" 'BEGIN { printf "  %d trials in %.3f s on the GPU: %.3e trials/s, %.1f GB/s of outputs written\n", n, s, n / s, n * o * 9 / s / 1e9 }'
done < "$WORK/models.txt"
exit $status
