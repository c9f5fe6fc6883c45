/**
 * The real Montecell service behind the browser tests: API, WebSocket gateway and workers in this
 * process, on the Redis at REDIS_URL under a key prefix of its own (removed afterwards), accepting the
 * pane's origin for CORS and the WebSocket Origin check.
 */
import { startTestService } from '../../service/helpers';

export interface ServiceUnderTest {
  url: string;
  close(): Promise<void>;
}

export async function startRealService(paneOrigin: string): Promise<ServiceUnderTest> {
  const service = await startTestService({ allowedOrigins: [paneOrigin] });
  return { url: service.url, close: () => service.stop() };
}
