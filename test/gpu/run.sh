#!/usr/bin/env bash
# The GPU check (not part of npm test), in two steps so that GPU time goes to running only:
#
#   test/gpu/run.sh prepare DIR [TRIALS=20000]   on any machine with node and nvcc (no GPU needed):
#       generates the CUDA kernel + host program of each benchmark model the backend supports, the CPU
#       backend's results for TRIALS trials (seed 12345), and builds the binaries for sm_90 (+ PTX).
#   test/gpu/run.sh run DIR [BENCH=100000000]     on the GPU machine (bash and the binaries only):
#       prints the device, runs each model for TRIALS trials and compares every trial with the CPU
#       results (the host program exits 2 on a mismatch), then runs BENCH trials in batches of 10^7
#       and prints the throughput.
#   test/gpu/run.sh DIR                          both, on a GPU machine with node and nvcc.
set -euo pipefail
cd "$(dirname "$0")/../.."
SEED=12345

prepare() {
  local dir=$1 trials=${2:-20000}
  mkdir -p "$dir"
  echo "$trials" >"$dir/trials.txt"
  npx tsx test/gpu/prepare.ts "$dir" "$SEED" "$trials"
  : >"$dir/built.txt"
  while read -r name outputs; do
    [ -n "$name" ] || continue
    echo "building $name"
    # -fmad=false: no fused multiply-add, so arithmetic rounds as in the CPU backend. Model (b)'s kernel
    # (10,001 cells in one function) did not finish building within 10 minutes on a two-core machine.
    if timeout "${MONTECELL_NVCC_TIMEOUT:-900}" nvcc -gencode arch=compute_90,code=[sm_90,compute_90] \
      -fmad=false -O3 -w -o "$dir/$name" "$dir/$name.cu"; then
      echo "$name $outputs" >>"$dir/built.txt"
    else
      echo "  $name: nvcc failed or timed out, not run"
    fi
  done <"$dir/models.txt"
}

run() {
  local dir=$1 bench=${2:-100000000} status=0
  local trials
  trials=$(cat "$dir/trials.txt")
  nvidia-smi --query-gpu=name,memory.total,compute_cap,driver_version --format=csv,noheader
  while read -r name outputs; do
    [ -n "$name" ] || continue
    echo "== $name ($outputs outputs)"
    if "$dir/$name" "$SEED" 0 "$trials" 10000000 "$dir/$name.gpu" "$dir/$name.cpu" 2>"$dir/$name.log"; then
      grep -E '^(device|validated)' "$dir/$name.log" | sed 's/^/  /'
    else
      grep -Ev '^progress' "$dir/$name.log" | sed 's/^/  /'
      status=1
      continue
    fi
    # Throughput: the kernel alone, outputs written once to device memory, batches of 10^7 trials.
    if "$dir/$name" "$SEED" 0 "$bench" 10000000 - 2>"$dir/$name.bench"; then
      seconds=$(awk '/^done/ {print $2}' "$dir/$name.bench")
      awk -v n="$bench" -v s="$seconds" -v o="$outputs" 'BEGIN {
        printf "  %d trials in %.3f s: %.3e trials/s, %.1f GB/s of outputs (8 + 1 bytes per output and trial)\n", n, s, n / s, n * o * 9 / s / 1e9 }'
    else
      grep -Ev '^progress' "$dir/$name.bench" | sed 's/^/  /'
      status=1
    fi
  done <"$dir/built.txt"
  return $status
}

case "${1:-}" in
  prepare) prepare "$2" "${3:-}" ;;
  run) run "$2" "${3:-}" ;;
  "") echo "usage: $0 prepare DIR [TRIALS] | run DIR [BENCH] | DIR" >&2; exit 1 ;;
  *) prepare "$1" && run "$1" ;;
esac
