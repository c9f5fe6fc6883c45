/** `npm start`: the API and the WebSocket gateway, with the workers in a supervised child process. */
import { runMain } from './run';

runMain({ api: true, workers: true }).catch((error: unknown) => {
  console.error(`montecell: ${(error as Error).message}`);
  process.exit(1);
});
