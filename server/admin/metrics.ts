/** Prometheus metrics (prom-client): submissions, outcomes, run times, queue depths at scrape time. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SimulationQueue } from '../queue/simulation-queue';

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly submitted = new Counter({
    name: 'montecell_simulations_submitted_total',
    help: 'Simulations accepted',
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'montecell_http_requests_total',
    help: 'HTTP requests by status class',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly runSeconds = new Histogram({
    name: 'montecell_request_seconds',
    help: 'HTTP request duration',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(queue: SimulationQueue, connections: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'montecell_' });
    new Gauge({
      name: 'montecell_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const q of queue.all) {
          const counts = await q.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
        }
      },
    });
    new Gauge({
      name: 'montecell_websocket_connections',
      help: 'Open WebSocket connections',
      registers: [this.registry],
      collect() {
        this.set(connections());
      },
    });
  }
}
