/** `npm run api`: the API and the WebSocket gateway alone, for hosts sized apart from the workers. */
import { runMain } from './run';

runMain({ api: true, workers: false }).catch((error: unknown) => {
  console.error(`montecell api: ${(error as Error).message}`);
  process.exit(1);
});
