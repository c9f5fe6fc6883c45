/**
 * The one progress model: the canonical record the service keeps per simulation, returned by REST,
 * carried by WebSocket events and rendered by the task pane.
 */
import { z } from 'zod';

export const SimulationStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);

export const ChunkProgress = z.object({
  id: z.string(),
  status: SimulationStatus,
  current_iteration: z.number().int().min(0),
  total_iterations: z.number().int().min(0),
});

export const SimulationError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export const Progress = z.object({
  simulation_id: z.string(),
  status: SimulationStatus,
  current_iteration: z.number().int().min(0),
  total_iterations: z.number().int().min(0),
  progress_percentage: z.number().min(0).max(100),
  stalled: z.boolean(),
  children: z.array(ChunkProgress),
  engine: z.string(),
  error: SimulationError.optional(),
  /** Increases with every change of this record, heartbeats included. */
  seq: z.number().int().min(0),
  updated_at: z.string(),
  heartbeat_at: z.string().nullable(),
  /**
   * Set while a live run has gone quiet: what it waits for (a free worker, a lost chunk's retry, the
   * assembly of its results). The API's own heartbeats carry it, so a client sees why the bar is still.
   */
  waiting_for: z.string().optional(),
  /**
   * How long the service expects the run to take from its last trial to its results (reading the
   * chunks, statistics, sensitivity, saving), learned from its own recent runs: a time-left estimate
   * adds it to the trials left, and the last trial is not the end of the wait.
   */
  finishing_ms: z.number().int().min(0).optional(),
});

export type SimulationStatus = z.infer<typeof SimulationStatus>;
export type ChunkProgress = z.infer<typeof ChunkProgress>;
export type Progress = z.infer<typeof Progress>;
export type SimulationError = z.infer<typeof SimulationError>;

export const TERMINAL_STATUSES: readonly SimulationStatus[] = ['completed', 'failed', 'cancelled'];

/** Percentage shown for a record: never rounds up to 100 before the work is really done. */
export function progressPercentage(current: number, total: number): number {
  if (total <= 0) return 0;
  const pct = Math.floor((current / total) * 10_000) / 100;
  return current < total ? Math.min(pct, 99.99) : 100;
}
