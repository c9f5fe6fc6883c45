/**
 * The real Montecell service (issue 4: API, WebSocket gateway and workers in this process, on the Redis at
 * REDIS_URL under a key prefix of its own, removed afterwards) behind the browser tests' ServiceUnderTest.
 * Loaded at run time through the service's own test harness, so this file also compiles on a branch
 * that predates the service.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceUnderTest } from './fake-service';

const HARNESS = join(__dirname, '../../service/helpers.ts');

interface ServiceHarness {
  startTestService(overrides: { allowedOrigins: string[] }): Promise<{ url: string; stop(): Promise<void> }>;
}

export function realServiceAvailable(): boolean {
  return existsSync(HARNESS);
}

/** The service, accepting the pane's origin (CORS and the WebSocket Origin check). */
export async function startRealService(paneOrigin: string): Promise<ServiceUnderTest> {
  const { startTestService } = require(HARNESS) as ServiceHarness;
  const service = await startTestService({ allowedOrigins: [paneOrigin] });
  return { url: service.url, close: () => service.stop() };
}
