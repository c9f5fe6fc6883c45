/**
 * REST calls to the Montecell service (issue 4's contract). Every failure becomes a ServiceError with a
 * message a user can act on: the service's own { error: { code, message } } when it answered, or
 * "did not answer" when it could not be reached.
 */
import {
  type Health as ServiceHealth,
  type SimulationRequest,
  SimulationResults,
} from '../../../shared/model';

export interface ServiceSettings {
  /** Base URL such as "https://montecell.example.com"; empty for the origin serving the pane. */
  serviceUrl: string;
  apiKey: string;
}

/** Header carrying the API key on REST calls; the WebSocket (no custom headers in browsers) uses ?api_key=. */
export const API_KEY_HEADER = 'X-API-Key';

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** What POST /api/simulations/check answers for a model the engine can run (a refusal is a 422 ServiceError). */
export interface ModelCheck {
  runnable: true;
  /** What the run will be told but not stopped by: a correlation matrix adjusted … */
  warnings: string[];
}

export interface RunAccepted {
  simulation_id: string;
  status: string;
  total_iterations: number;
}

/** The service's health (shared schema); fields may be missing from an older service. */
export type Health = Partial<ServiceHealth> & { status: string };

type Fetch = typeof fetch;

export function baseUrl(settings: ServiceSettings, pageOrigin = globalThis.location?.origin ?? ''): string {
  return (settings.serviceUrl.trim() || pageOrigin).replace(/\/+$/, '');
}

export function webSocketUrl(
  settings: ServiceSettings,
  pageOrigin = globalThis.location?.origin ?? '',
): string {
  const url = new URL(`${baseUrl(settings, pageOrigin)}/ws`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (settings.apiKey) url.searchParams.set('api_key', settings.apiKey);
  return url.toString();
}

export class ServiceClient {
  private readonly base: string;

  constructor(
    private readonly settings: ServiceSettings,
    private readonly fetchImpl: Fetch = (...args) => fetch(...args),
  ) {
    this.base = baseUrl(settings);
  }

  health(): Promise<Health> {
    return this.json<Health>('GET', '/api/health');
  }

  /** The caller's recent simulations: needs a valid key when the service has keys. */
  async recent(): Promise<void> {
    await this.json('GET', '/api/simulations');
  }

  run(request: SimulationRequest): Promise<RunAccepted> {
    return this.json<RunAccepted>('POST', '/api/simulations/run', request);
  }

  /** Compiles the request as a run would, without running it: its warnings, or the refusal it would get. */
  check(request: SimulationRequest): Promise<ModelCheck> {
    return this.json<ModelCheck>('POST', '/api/simulations/check', request);
  }

  async cancel(simulationId: string): Promise<void> {
    await this.json('POST', `/api/simulations/${encodeURIComponent(simulationId)}/cancel`);
  }

  async results(simulationId: string): Promise<SimulationResults> {
    const body = await this.json<{ results?: unknown }>(
      'GET',
      `/api/simulations/${encodeURIComponent(simulationId)}`,
    );
    const parsed = SimulationResults.safeParse(body.results);
    if (!parsed.success)
      throw new ServiceError('bad_results', 'The service sent results this pane cannot read');
    return parsed.data;
  }

  async samples(simulationId: string, output: string): Promise<Float64Array> {
    const path = `/api/simulations/${encodeURIComponent(simulationId)}/samples?output=${encodeURIComponent(output)}`;
    const response = await this.send('GET', path, undefined, 'application/octet-stream');
    return new Float64Array(await response.arrayBuffer());
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body, 'application/json');
    const text = await response.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.settings.apiKey) headers[API_KEY_HEADER] = this.settings.apiKey;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ServiceError(
        'unreachable',
        `The Montecell service at ${this.base} did not answer. Check the service URL in Settings and that the service is running.`,
      );
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }
}

async function errorOf(response: Response): Promise<ServiceError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message)
      return new ServiceError(body.error.code ?? 'error', body.error.message, response.status);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ServiceError(
    'http',
    `The service answered ${response.status} ${response.statusText}`.trim(),
    response.status,
  );
}
