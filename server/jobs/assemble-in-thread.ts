/** Runs ./assemble-thread in a worker thread (the bundled script, or the TypeScript source under tsx). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AssembleReply, AssembleRequest } from './assemble-thread';

function threadScript(): { path: string; execArgv: string[] } {
  if (__filename.endsWith('.ts'))
    return { path: join(__dirname, 'assemble-thread.ts'), execArgv: ['--require', 'tsx/cjs'] };
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    for (const candidate of [
      join(dir, 'jobs/assemble-thread.js'),
      join(dir, 'build/server/jobs/assemble-thread.js'),
    ])
      if (existsSync(candidate)) return { path: candidate, execArgv: [] };
    dir = dirname(dir);
  }
  throw new Error('internal: the assemble thread script is not built (run npm run build:server)');
}

export function assembleInThread(
  request: AssembleRequest,
): Promise<Extract<AssembleReply, { type: 'done' }>> {
  const { path, execArgv } = threadScript();
  const worker = new Worker(path, { execArgv });
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: AssembleReply) => {
      void worker.terminate();
      if (reply.type === 'done') resolve(reply);
      else reject(new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the assemble thread exited with code ${code}`)));
    worker.postMessage(
      request,
      request.chunks.map((c) => c.buffer as ArrayBuffer),
    );
  });
}
