/** `npm start`: the API, the WebSocket gateway and the workers in one process. */
import { runMain } from './run';

runMain({ api: true, workers: true }).catch((error: unknown) => {
  console.error(`montecell: ${(error as Error).message}`);
  process.exit(1);
});
