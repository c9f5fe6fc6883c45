/** WebSocket messages between the service (/ws) and clients. Documented in docs/protocol.md. */
import { z } from 'zod';
import { Progress, SimulationError } from './progress';

export const OutputSummary = z.object({
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  percentiles: z.record(z.string(), z.number()),
  errors: z.number().int(),
});

const ProgressEvent = Progress.extend({ type: z.enum(['snapshot', 'progress', 'heartbeat']) });

/**
 * Every event of a simulation carries `type`, `simulation_id` and a `seq` higher than the one before;
 * the final events (`completed`, `failed`, `cancelled`) also carry the final progress record.
 */
export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), client_id: z.string() }),
  ProgressEvent.extend({ type: z.literal('snapshot') }),
  ProgressEvent.extend({ type: z.literal('progress') }),
  ProgressEvent.extend({ type: z.literal('heartbeat') }),
  ProgressEvent.extend({
    type: z.literal('completed'),
    summary: z.record(z.string(), OutputSummary),
  }),
  ProgressEvent.extend({ type: z.literal('failed'), error: SimulationError }),
  ProgressEvent.extend({ type: z.literal('cancelled') }),
  z.object({ type: z.literal('error'), simulation_id: z.string().optional(), error: SimulationError }),
]);

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), simulation_id: z.string() }),
  z.object({ type: z.literal('unsubscribe'), simulation_id: z.string() }),
]);

export type ServerMessage = z.infer<typeof ServerMessage>;
export type ClientMessage = z.infer<typeof ClientMessage>;
export type OutputSummary = z.infer<typeof OutputSummary>;
