/**
 * One long-lived worker thread per process that assembles finished runs (./assemble-thread), so sorting
 * millions of samples never blocks the worker's event loop. Started on first use; a crashed thread
 * fails the requests it held and is replaced on the next one.
 */
import { Worker } from 'node:worker_threads';
import type { AssembleReply, AssembleRequest } from './assemble-thread';
import { threadScript } from './thread-script';

type Done = Extract<AssembleReply, { type: 'done' }>;

export class AssembleThread {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (d: Done) => void; reject: (e: Error) => void }>();

  run(request: AssembleRequest): Promise<Done> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(
        { id, request },
        request.chunks.map((c) => c.buffer as ArrayBuffer),
      );
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { path, execArgv } = threadScript('assemble-thread');
    const worker = new Worker(path, { execArgv });
    worker.unref();
    worker.on('message', ({ id, reply }: { id: number; reply: AssembleReply }) => {
      const waiter = this.pending.get(id);
      this.pending.delete(id);
      if (reply.type === 'done') waiter?.resolve(reply);
      else waiter?.reject(new Error(reply.message));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the assemble thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
