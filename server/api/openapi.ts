/** The OpenAPI document, generated from the same zod schemas that validate requests and shape replies. */
import { z } from 'zod';
import { Health, Progress, SimulationRequest, SimulationResults } from '../../shared/model';

const schema = (s: z.ZodType) =>
  z.toJSONSchema(s, { unrepresentable: 'any', io: 'input', target: 'openapi-3.0' });

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export function openApiDocument(): Record<string, unknown> {
  const json = (ref: string) => ({
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
  });
  const errors = Object.fromEntries(
    ['400', '401', '404', '413', '415', '422', '429', '503'].map((s) => [
      s,
      { description: 'error', ...json('Error') },
    ]),
  );
  const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
  return {
    openapi: '3.0.3',
    info: { title: 'Montecell service', version: '1' },
    components: {
      schemas: {
        SimulationRequest: schema(SimulationRequest),
        Progress: schema(Progress),
        SimulationResults: schema(SimulationResults),
        Health: schema(Health),
        Error: schema(ErrorBody),
      },
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    },
    paths: {
      '/api/files/upload': {
        post: {
          summary: 'Upload an .xlsx workbook (multipart field "file")',
          responses: { 200: { description: 'file_id, filename, size_bytes, sheets' }, ...errors },
        },
      },
      '/api/simulations/run': {
        post: {
          summary: 'Submit a simulation',
          requestBody: { required: true, ...json('SimulationRequest') },
          responses: { 202: { description: 'simulation_id, status "queued", total_iterations' }, ...errors },
        },
      },
      '/api/simulations/check': {
        post: {
          summary: 'Compile a simulation request as /run does, without running it',
          requestBody: { required: true, ...json('SimulationRequest') },
          responses: {
            200: {
              description: 'runnable true, warnings (the engine’s, as strings), simulations, iterations',
            },
            ...errors,
          },
        },
      },
      '/api/simulations/progress/{id}': {
        get: { summary: 'Progress record', parameters: id, responses: { 200: json('Progress'), ...errors } },
      },
      '/api/simulations/{id}': {
        get: {
          summary: 'Progress plus results once completed',
          parameters: id,
          responses: {
            200: {
              description: 'the progress record, with `results` once the run completed',
              content: {
                'application/json': {
                  schema: {
                    allOf: [
                      { $ref: '#/components/schemas/Progress' },
                      {
                        type: 'object',
                        properties: { results: { $ref: '#/components/schemas/SimulationResults' } },
                      },
                    ],
                  },
                },
              },
            },
            ...errors,
          },
        },
      },
      '/api/simulations/{id}/samples': {
        get: {
          summary: 'Samples of one output (float64 LE, or CSV)',
          parameters: id,
          responses: { 200: { description: 'samples' }, ...errors },
        },
      },
      '/api/simulations/{id}/cancel': {
        post: { summary: 'Cancel', parameters: id, responses: { 202: json('Progress'), ...errors } },
      },
      '/api/simulations': {
        get: { summary: 'The caller’s recent simulations', responses: { 200: { description: 'list' } } },
      },
      '/api/health': {
        get: {
          summary: 'Health: Redis, live workers and their engines',
          responses: { 200: json('Health'), 503: json('Health') },
        },
      },
    },
  };
}
