/**
 * What the Run view shows, derived only from what the service said. A pure reducer: events in, state out;
 * the clock comes in with each action so tests (and the stall detector) control time.
 *
 * Rules (PRODUCT.md): no optimistic placeholder — until the first real event of the simulation the bar is
 * indeterminate; events at or below the last seq seen are dropped (duplicates, reordering, the snapshot
 * after a reconnect that carries nothing new); a visible stall once the service goes quiet; a terminal
 * state is final.
 */
import {
  type OutputSummary,
  Progress,
  type ServerMessage,
  type SimulationError,
} from '../../../shared/model';

/** The service sends at least one event per second while a run is live; this much silence is a stall. */
export const SILENCE_STALL_MS = 5_000;

export type RunPhase =
  | 'idle'
  /** Opening the WebSocket and waiting for hello. */
  | 'connecting'
  /** POST /run sent or accepted; no event of the simulation seen yet. */
  | 'submitted'
  /** At least one real event seen; status in `progress`. */
  | 'live'
  | 'completed'
  | 'failed'
  | 'cancelled';

export type ConnectionState = 'closed' | 'open' | 'reconnecting';

export interface RunState {
  phase: RunPhase;
  connection: ConnectionState;
  simulationId?: string;
  /** Highest seq applied; events at or below it are dropped. */
  lastSeq: number;
  /** The last progress record the service sent. */
  progress?: Progress;
  summary?: Record<string, OutputSummary>;
  error?: SimulationError;
  /** Client clock (ms): when Run was pressed, when the last event of the simulation arrived, now. */
  startedAt?: number;
  lastEventAt?: number;
  /**
   * Trials done and when each record said so, over the last RATE_WINDOW_MS and one before: the time left
   * comes from the trials/s measured there, so the wait for a worker, the model's compile and workers
   * still starting up do not count as the run's speed.
   */
  rateSamples: RateSample[];
  /** When the first trials were reported, and when all of them: the rest is the service's finishing. */
  runningSince?: number;
  trialsDoneAt?: number;
  now: number;
  cancelRequested: boolean;
  /**
   * Events that arrived while POST /run was in flight: with client_id the service streams the new
   * simulation's events from `queued` on, possibly before the 202 names its id. Replayed on `submitted`.
   */
  early: ServerMessage[];
}

export interface RateSample {
  at: number;
  done: number;
}

export type RunAction =
  | { type: 'start'; at: number }
  | { type: 'submitted'; simulationId: string; at: number }
  | { type: 'message'; message: ServerMessage; at: number }
  | { type: 'connection'; state: ConnectionState; at: number }
  | { type: 'cancel-requested'; at: number }
  /** Something failed on this side before the service could say anything (service down, 4xx, 5xx). */
  | { type: 'client-error'; error: SimulationError; at: number }
  | { type: 'tick'; at: number }
  | { type: 'reset'; at: number };

export const initialRunState: RunState = {
  phase: 'idle',
  connection: 'closed',
  lastSeq: -1,
  now: 0,
  cancelRequested: false,
  early: [],
  rateSamples: [],
};

const MAX_EARLY_EVENTS = 1_000;

const TERMINAL: readonly RunPhase[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(phase: RunPhase): boolean {
  return TERMINAL.includes(phase);
}

export function runReducer(state: RunState, action: RunAction): RunState {
  const now = Math.max(state.now, action.at);
  switch (action.type) {
    case 'reset':
      return { ...initialRunState, connection: state.connection, now };
    case 'start':
      return { ...initialRunState, connection: state.connection, phase: 'connecting', startedAt: now, now };
    case 'submitted': {
      if (state.phase !== 'connecting') return { ...state, now };
      const submitted: RunState = {
        ...state,
        phase: 'submitted',
        simulationId: action.simulationId,
        lastEventAt: now,
        early: [],
        now,
      };
      const early = [...state.early].sort((a, b) => seqOf(a) - seqOf(b));
      return early.reduce(applyMessage, submitted);
    }
    case 'connection':
      return { ...state, connection: action.state, now };
    case 'cancel-requested':
      return isTerminal(state.phase) ? state : { ...state, cancelRequested: true, now };
    case 'client-error':
      if (isTerminal(state.phase)) return { ...state, now };
      return { ...state, phase: 'failed', error: action.error, now };
    case 'tick':
      return { ...state, now };
    case 'message':
      return applyMessage({ ...state, now }, action.message);
  }
}

function applyMessage(state: RunState, message: ServerMessage): RunState {
  if (message.type === 'hello') return state;
  if (message.type === 'error') {
    // a protocol-level error (bad subscribe, unknown simulation) ends a run that has not ended yet
    const about = 'simulation_id' in message ? message.simulation_id : undefined;
    const other = about !== undefined && about !== state.simulationId;
    return isTerminal(state.phase) || state.phase === 'idle' || other
      ? state
      : { ...state, phase: 'failed', error: message.error };
  }
  if (state.simulationId === undefined) {
    const early = state.phase === 'connecting' && state.early.length < MAX_EARLY_EVENTS;
    return early ? { ...state, early: [...state.early, message] } : state;
  }
  if (message.simulation_id !== state.simulationId) return state;
  if (isTerminal(state.phase) || message.seq <= state.lastSeq) return state;
  const seen = { ...state, lastSeq: message.seq, lastEventAt: state.now };
  switch (message.type) {
    case 'snapshot':
    case 'progress':
    case 'heartbeat': {
      const { type: _type, ...progress } = message;
      const counting = progress.status === 'running' && progress.current_iteration > 0;
      const rateSamples = counting
        ? measured(state.rateSamples, { at: state.now, done: progress.current_iteration })
        : state.rateSamples;
      const allDone = counting && progress.current_iteration >= progress.total_iterations;
      return {
        ...seen,
        phase: phaseOfStatus(progress.status),
        progress,
        error: progress.error,
        rateSamples,
        runningSince: state.runningSince ?? (counting ? state.now : undefined),
        trialsDoneAt: state.trialsDoneAt ?? (allDone ? state.now : undefined),
      };
    }
    case 'completed':
      return {
        ...seen,
        phase: 'completed',
        summary: message.summary,
        progress: finalRecord(message) ?? state.progress,
      };
    case 'failed':
      return {
        ...seen,
        phase: 'failed',
        error: message.error,
        progress: finalRecord(message) ?? state.progress,
      };
    case 'cancelled':
      return { ...seen, phase: 'cancelled', progress: finalRecord(message) ?? state.progress };
  }
}

/** The final progress record that terminal events carry (protocol since the service landed). */
function finalRecord(message: ServerMessage): Progress | undefined {
  const parsed = Progress.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

function seqOf(message: ServerMessage): number {
  return 'seq' in message ? message.seq : -1;
}

function phaseOfStatus(status: Progress['status']): RunPhase {
  return status === 'queued' || status === 'running' ? 'live' : status;
}

// ---------------------------------------------------------------------------------------------
// What the view shows
// ---------------------------------------------------------------------------------------------

export interface RunView {
  /** 'indeterminate' until the first real event; then the service's percentage. */
  bar: { kind: 'none' } | { kind: 'indeterminate' } | { kind: 'determinate'; percent: number };
  status: string;
  current?: number;
  total?: number;
  elapsedMs?: number;
  etaMs?: number;
  /** Seconds without any event from the service while the run is live. */
  silentForS?: number;
  /** The service itself reports the run stalled (no worker heartbeats). */
  serviceStalled: boolean;
  canCancel: boolean;
  canRun: boolean;
}

export function describeRun(state: RunState): RunView {
  const { phase, progress, now } = state;
  const live = phase === 'connecting' || phase === 'submitted' || phase === 'live';
  const elapsedMs = state.startedAt !== undefined ? now - state.startedAt : undefined;
  const silentMs = state.lastEventAt !== undefined ? now - state.lastEventAt : 0;
  const view: RunView = {
    bar: { kind: 'none' },
    status: statusText(state),
    serviceStalled: phase === 'live' && progress?.stalled === true,
    canCancel: (phase === 'submitted' || phase === 'live') && !state.cancelRequested,
    canRun: !live,
  };
  if (live)
    view.bar = progress
      ? { kind: 'determinate', percent: progress.progress_percentage }
      : { kind: 'indeterminate' };
  if (phase === 'completed' && progress) view.bar = { kind: 'determinate', percent: 100 };
  if (progress) {
    view.current = progress.current_iteration;
    view.total = progress.total_iterations;
  }
  if (live || isTerminal(phase)) view.elapsedMs = elapsedMs;
  if (phase === 'live' && progress) view.etaMs = timeLeft(state, progress);
  if ((phase === 'submitted' || phase === 'live') && silentMs >= SILENCE_STALL_MS)
    view.silentForS = Math.floor(silentMs / 1000);
  return view;
}

/** How long the trials/s are measured, at least, before the time left is said: shorter spans are noise. */
export const RATE_WINDOW_MS = 2_000;

/** The samples with a new one: those of the last RATE_WINDOW_MS, and the last one before them. */
function measured(samples: RateSample[], sample: RateSample): RateSample[] {
  const kept = [...samples, sample];
  while (kept.length > 2 && kept[1].at <= sample.at - RATE_WINDOW_MS) kept.shift();
  return kept;
}

/**
 * The time left: the trials left at the trials/s of the last RATE_WINDOW_MS or more, then the time the
 * service expects from the last trial to the results; undefined until the run has been measured that
 * long, so a run of a second or two never shows a guess.
 */
function timeLeft(state: RunState, progress: Progress): number | undefined {
  const { current_iteration: done, total_iterations: total, finishing_ms: finishing = 0 } = progress;
  const samples = state.rateSamples;
  if (progress.status !== 'running' || samples.length < 2) return undefined;
  const oldest = samples[0];
  const newest = samples[samples.length - 1];
  if (state.trialsDoneAt !== undefined) {
    const measuredLongEnough =
      state.trialsDoneAt - (state.runningSince ?? state.trialsDoneAt) >= RATE_WINDOW_MS;
    const left = finishing - (state.now - state.trialsDoneAt);
    return measuredLongEnough && left > 0 ? left : undefined;
  }
  const spanMs = newest.at - oldest.at;
  if (spanMs < RATE_WINDOW_MS || newest.done <= oldest.done) return undefined;
  const perMs = (newest.done - oldest.done) / spanMs;
  return Math.max(0, (total - done) / perMs + finishing - (state.now - newest.at));
}

function statusText(state: RunState): string {
  switch (state.phase) {
    case 'idle':
      return 'Ready';
    case 'connecting':
      return 'Connecting to the service…';
    case 'submitted':
      return 'Submitted — waiting for the service…';
    case 'live':
      if (state.cancelRequested) return 'Cancelling…';
      if (state.progress?.status === 'queued') return 'Queued';
      return state.trialsDoneAt !== undefined ? 'Computing statistics' : 'Running';
    case 'completed':
      return 'Completed';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
  }
}
