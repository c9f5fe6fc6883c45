// Preloaded (node --require) into the CLI runs of bench/run.ts: on exit, writes the process's peak
// resident memory in kilobytes to the file named by BENCH_MAX_RSS_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.BENCH_MAX_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
