// Preloaded (node --require) into the CLI runs of bench/run.ts: on exit, writes the process's peak
// resident memory (kB) and CPU time (µs) as JSON to the file named by BENCH_MAX_RSS_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.BENCH_MAX_RSS_FILE;
  const usage = process.resourceUsage();
  if (file)
    writeFileSync(
      file,
      JSON.stringify({ maxRssKb: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }),
    );
});
