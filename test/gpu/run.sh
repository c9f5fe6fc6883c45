#!/usr/bin/env bash
# The GPU check (not part of npm test), in two steps so that GPU time goes to running only:
#
#   test/gpu/run.sh prepare DIR [TRIALS=20000]   here: node, npm ci done, nvcc; no GPU needed.
#       For each benchmark model (MONTECELL_GPU_MODELS, default "dcf"): its values program built for
#       sm_90, the CPU backend's results for TRIALS trials (seed 12345), and its summary program in
#       DIR/cache as `montecell simulate --engine gpu` builds it. Then DIR/app: node (xz), the CLI bundle,
#       the three packages it loads and the .xlsx models, so the GPU host needs only bash, the driver and
#       xz or python3. DIR stays under 64 MiB: carry it to the GPU host.
#   test/gpu/run.sh run DIR [BENCH=100000000]    on the GPU host:
#       1. the device;
#       2. each model's values program on TRIALS trials, compared trial by trial with the CPU results
#          (the program exits 2 on a mismatch);
#       3. the kernel alone over BENCH trials, outputs written once to device memory (GB/s of outputs,
#          against the memory bandwidth);
#       4. the summary program alone over BENCH trials: trials plus the statistics on the device;
#       5. end to end, `montecell simulate --engine gpu --iterations BENCH --json` (load, compile, GPU run,
#          statistics, sensitivity, the check against the CPU backend), then the CPU engine on every core
#          for 10^7 trials, and the ratio of the two throughputs.
#   test/gpu/run.sh DIR                          both, on a GPU host with node and nvcc.
set -euo pipefail
cd "$(dirname "$0")/../.."
SEED=12345

prepare() {
  local dir=$1 trials=${2:-20000}
  # Only this commit's programs: DIR is carried whole to the GPU host.
  rm -rf "$dir/cache"
  mkdir -p "$dir/app/node_modules"
  echo "$trials" >"$dir/trials.txt"
  npm run -s build:server
  npx tsx bench/write-models.ts >/dev/null
  npx tsx test/gpu/prepare.ts "$dir" "$SEED" "$trials"
  : >"$dir/built.txt"
  while read -r name outputs; do
    [ -n "$name" ] || continue
    echo "building $name"
    # -fmad=false: no fused multiply-add, so arithmetic rounds as in the CPU backend. Model (b)'s kernel
    # (10,001 cells in one function) did not finish building within 10 minutes on a two-core machine.
    # -Xptxas -v: registers and spills per thread, which bound how many trials an SM runs at once.
    if timeout "${MONTECELL_NVCC_TIMEOUT:-900}" nvcc -gencode arch=compute_90,code=[sm_90,compute_90] \
      -fmad=false -O3 -w -Xptxas -v -o "$dir/$name" "$dir/$name.cu" 2>"$dir/$name.ptxas"; then
      grep -A2 "Function properties for montecell_trials" "$dir/$name.ptxas" | tail -2 | sed 's/^ */  /'
      echo "$name $outputs" >>"$dir/built.txt"
    else
      echo "  $name: nvcc failed or timed out, not run"
      tail -5 "$dir/$name.ptxas" | sed 's/^/  /'
      continue
    fi
    # The kernel uses every register a thread may have (255), so an SM holds few trials at once: the
    # same kernel capped at fewer registers (more spills, more trials in flight) is timed beside it.
    for registers in 128 64; do
      if timeout "${MONTECELL_NVCC_TIMEOUT:-900}" nvcc -gencode arch=compute_90,code=[sm_90,compute_90] \
        -fmad=false -O3 -w -Xptxas -v -maxrregcount=$registers -o "$dir/$name.r$registers" "$dir/$name.cu" \
        2>"$dir/$name.r$registers.ptxas"; then
        echo "  capped at $registers registers:"
        grep -A2 "Function properties for montecell_trials" "$dir/$name.r$registers.ptxas" | tail -2 | sed 's/^ */    /'
      fi
    done
  done <"$dir/models.txt"
  rm -rf "$dir/app/build" "$dir/app/models"
  cp -r build "$dir/app/build"
  find "$dir/app/build" -name '*.map' -delete
  cp -r bench/models "$dir/app/models"
  for package in fflate saxes xmlchars zod; do
    rm -rf "$dir/app/node_modules/$package"
    cp -r "node_modules/$package" "$dir/app/node_modules/$package"
  done
  xz -T0 -6 -c "$(readlink -f "$(command -v node)")" >"$dir/app/node.xz"
  du -sh "$dir"
}

# Seconds since the epoch, to the millisecond.
now() { date +%s.%N; }

run() {
  local dir=$1 bench=${2:-100000000} status=0
  local trials
  trials=$(cat "$dir/trials.txt")
  nvidia-smi --query-gpu=name,memory.total,compute_cap,driver_version --format=csv,noheader
  date -u +"%Y-%m-%d %H:%M UTC"
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
    if "$dir/$name" "$SEED" 0 "$bench" 10000000 - 2>"$dir/$name.bench"; then
      seconds=$(awk '/^done/ {print $2}' "$dir/$name.bench")
      awk -v n="$bench" -v s="$seconds" -v o="$outputs" 'BEGIN {
        printf "  kernel only: %d trials in %.3f s: %.3e trials/s, %.1f GB/s of outputs (8 + 1 bytes per output and trial)\n", n, s, n / s, n * o * 9 / s / 1e9 }'
    else
      grep -Ev '^progress' "$dir/$name.bench" | sed 's/^/  /'
      status=1
    fi
    for capped in "$dir/$name".r*[0-9]; do
      [ -x "$capped" ] || continue
      "$capped" "$SEED" 0 "$trials" 10000000 - "$dir/$name.cpu" 2>/dev/null || { echo "  ${capped##*.}: differs from the CPU"; status=1; continue; }
      if "$capped" "$SEED" 0 "$bench" 10000000 - 2>"$capped.bench"; then
        awk -v n="$bench" -v r="${capped##*.}" '/^done/ { printf "  kernel only, %s: %.3f s: %.3e trials/s\n", r, $2, n / $2 }' "$capped.bench"
      fi
    done
    if [ -f "$dir/$name.summary" ]; then
      local summary began ended
      summary="$dir/$(cat "$dir/$name.summary")"
      began=$(now)
      if "$summary" summary "$SEED" "$bench" 10000000 100000 "$dir/$name.recorded" </dev/null >"$dir/$name.facts" 2>"$dir/$name.summary.log"; then
        ended=$(now)
        awk -v n="$bench" -v b="$began" -v e="$ended" '/^done/ {t = $2} /^statistics/ {s = $2} END {
          printf "  summary program: %d trials %.3f s + statistics on the device %.3f s; %.3f s from process start to exit\n", n, t, s, e - b }' "$dir/$name.summary.log"
      else
        grep -Ev '^progress' "$dir/$name.summary.log" | sed 's/^/  /'
        status=1
      fi
    fi
  done <"$dir/built.txt"
  end_to_end "$dir" "$bench" || status=1
  return $status
}

end_to_end() {
  local dir=$1 bench=$2 node app
  app=$(cd "$dir/app" && pwd)
  node=$(command -v node || true)
  if [ -z "$node" ]; then
    node=/tmp/montecell-node
    if command -v xz >/dev/null; then
      xz -dc "$app/node.xz" >"$node"
    else
      python3 -c 'import lzma, sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$app/node.xz" >"$node"
    fi
    chmod +x "$node"
  fi
  echo "== end to end: montecell simulate, model (a) ($("$node" --version))"
  local cli="$app/build/server/cli/main.js" model="$app/models/dcf.xlsx" began ended
  export MONTECELL_GPU_CACHE
  MONTECELL_GPU_CACHE=$(cd "$dir/cache" && pwd)
  # One small run first: the CUDA driver's first start in a process is not what a user waits for twice.
  "$node" "$cli" simulate "$model" --engine gpu --iterations 100000 --json >/dev/null
  began=$(now)
  "$node" "$cli" simulate "$model" --engine gpu --iterations "$bench" --json >"$dir/gpu.json"
  ended=$(now)
  local gpu_wall cpu_wall
  gpu_wall=$(awk -v b="$began" -v e="$ended" 'BEGIN { printf "%.3f", e - b }')
  began=$(now)
  "$node" "$cli" simulate "$model" --iterations 10000000 --json >"$dir/cpu.json"
  ended=$(now)
  cpu_wall=$(awk -v b="$began" -v e="$ended" 'BEGIN { printf "%.3f", e - b }')
  "$node" -e '
    const fs = require("fs");
    const [gpuFile, cpuFile, n, gpuWall, cpuWall] = process.argv.slice(1);
    const g = JSON.parse(fs.readFileSync(gpuFile, "utf8"));
    const c = JSON.parse(fs.readFileSync(cpuFile, "utf8"));
    const gpuRate = n / gpuWall;
    const cpuRate = 1e7 / cpuWall;
    const [label, out] = Object.entries(g.outputs)[0];
    const cpuOut = c.outputs[label];
    console.log(`  GPU (${g.engine_used} on ${g.device}): ${n} trials, wall ${gpuWall} s, engine ${(g.elapsed_ms / 1000).toFixed(3)} s: ${gpuRate.toExponential(3)} trials/s`);
    console.log(`  CPU engine, ${require("os").availableParallelism()} threads: 10000000 trials, wall ${cpuWall} s: ${cpuRate.toExponential(3)} trials/s`);
    console.log(`  GPU / CPU, whole commands: ${(gpuRate / cpuRate).toFixed(1)}x`);
    console.log(`  ${label}: mean ${out.statistics.mean} (CPU, 10^7 trials: ${cpuOut.statistics.mean}), P50 ${out.percentiles["50"]} (${cpuOut.percentiles["50"]}), errors ${out.errors} of ${n}`);
  ' "$dir/gpu.json" "$dir/cpu.json" "$bench" "$gpu_wall" "$cpu_wall"
}

case "${1:-}" in
  prepare) prepare "$2" "${3:-}" ;;
  run) run "$2" "${3:-}" ;;
  "") echo "usage: $0 prepare DIR [TRIALS] | run DIR [BENCH] | DIR" >&2; exit 1 ;;
  *) prepare "$1" && run "$1" ;;
esac
