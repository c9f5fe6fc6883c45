/** Turns what the store publishes into the WebSocket messages clients receive. */
import type { OutputSummary, ServerMessage, SimulationError } from '../../shared/model';
import type { ProgressStore, StoreEvent } from '../progress/store';

export function toServerMessage(store: ProgressStore, event: StoreEvent): ServerMessage {
  const progress = store.toProgress(event.fields.id, event.fields);
  switch (event.kind) {
    case 'completed':
      return {
        type: 'completed',
        ...progress,
        summary: (event.summary ?? {}) as Record<string, OutputSummary>,
      };
    case 'failed':
      return {
        type: 'failed',
        ...progress,
        error: progress.error ?? ({ code: 'internal', message: 'the simulation failed' } as SimulationError),
      };
    case 'cancelled':
      return { type: 'cancelled', ...progress };
    default:
      return { type: event.kind, ...progress };
  }
}
