/** `npm run worker`: workers only, joining the Redis at REDIS_URL (add hosts to scale out). */
import { runMain } from './run';

runMain({ api: false, workers: true }).catch((error: unknown) => {
  console.error(`montecell worker: ${(error as Error).message}`);
  process.exit(1);
});
