/** The progress record as Redis keeps it (a flat hash of strings) and as clients see it (`Progress`). */
import {
  type ChunkProgress,
  type Progress,
  progressPercentage,
  type SimulationError,
  type SimulationStatus,
} from '../../shared/model';

export type RecordFields = Record<string, string>;

/** Converts the stored hash; `stalled` also holds between a stop of heartbeats and the next sweep. */
export function toProgress(id: string, fields: RecordFields, now: number, stallAfterMs: number): Progress {
  const status = fields.status as SimulationStatus;
  const current = Number(fields.current ?? 0);
  const total = Number(fields.total ?? 0);
  const heartbeat = fields.heartbeat_at ? Number(fields.heartbeat_at) : null;
  const lastSign = heartbeat ?? Number(fields.updated_at ?? now);
  const stalled = status === 'running' && (fields.stalled === '1' || now - lastSign >= stallAfterMs);
  const progress: Progress = {
    simulation_id: id,
    status,
    current_iteration: current,
    total_iterations: total,
    progress_percentage: progressPercentage(current, total),
    stalled,
    children: chunksOf(id, fields),
    engine: fields.engine ?? 'auto',
    seq: Number(fields.seq ?? 0),
    updated_at: new Date(Number(fields.updated_at ?? now)).toISOString(),
    heartbeat_at: heartbeat === null ? null : new Date(heartbeat).toISOString(),
  };
  if (fields.waiting_for && (status === 'queued' || status === 'running'))
    progress.waiting_for = fields.waiting_for;
  if (fields.finishing_ms && (status === 'queued' || status === 'running'))
    progress.finishing_ms = Number(fields.finishing_ms);
  if (fields.error) progress.error = JSON.parse(fields.error) as SimulationError;
  return progress;
}

function chunksOf(id: string, fields: RecordFields): ChunkProgress[] {
  const n = Number(fields.chunks ?? 0);
  const children: ChunkProgress[] = [];
  for (let i = 0; i < n; i++)
    children.push({
      id: `${id}:${i}`,
      status: (fields[`c:${i}:status`] ?? 'queued') as SimulationStatus,
      current_iteration: Number(fields[`c:${i}:done`] ?? 0),
      total_iterations: Number(fields[`c:${i}:total`] ?? 0),
    });
  return children;
}
