import {
  describeRun,
  initialRunState,
  type RunAction,
  type RunState,
  runReducer,
  SILENCE_STALL_MS,
} from '../../addin/src/state/run-state';
import type { Progress, ServerMessage } from '../../shared/model';

const ID = 'sim-1';

function record(seq: number, current: number, overrides: Partial<Progress> = {}): Progress {
  return {
    simulation_id: ID,
    status: current > 0 ? 'running' : 'queued',
    current_iteration: current,
    total_iterations: 1000,
    progress_percentage: current / 10,
    stalled: false,
    children: [],
    engine: 'cpu',
    seq,
    updated_at: '2026-01-01T00:00:00Z',
    heartbeat_at: null,
    ...overrides,
  };
}

const progress = (seq: number, current: number, o: Partial<Progress> = {}): ServerMessage => ({
  type: 'progress',
  ...record(seq, current, o),
});
const heartbeat = (seq: number, current: number, o: Partial<Progress> = {}): ServerMessage => ({
  type: 'heartbeat',
  ...record(seq, current, o),
});
/** A final event, with the final record as the service sends it. */
const terminal = (
  type: 'completed' | 'failed' | 'cancelled',
  seq: number,
  current: number,
  extra: object = {},
) => ({ type, ...record(seq, current, { status: type }), ...extra }) as ServerMessage;
const msg = (message: ServerMessage, at: number): RunAction => ({ type: 'message', message, at });

function run(...actions: RunAction[]): RunState {
  return actions.reduce(runReducer, initialRunState);
}

const started: RunAction[] = [
  { type: 'start', at: 0 },
  { type: 'submitted', simulationId: ID, at: 100 },
];

test('shows an indeterminate bar, never a percentage, until the first real event', () => {
  expect(describeRun(run({ type: 'start', at: 0 })).bar).toEqual({ kind: 'indeterminate' });
  expect(describeRun(run(...started)).bar).toEqual({ kind: 'indeterminate' });
  const state = run(...started, msg(progress(1, 250), 200));
  expect(describeRun(state).bar).toEqual({ kind: 'determinate', percent: 25 });
  expect(describeRun(state)).toMatchObject({ current: 250, total: 1000, status: 'Running' });
});

test('drops duplicate and out-of-order events', () => {
  const state = run(
    ...started,
    msg(progress(3, 300), 200),
    msg(progress(2, 200), 210), // late
    msg(progress(3, 300), 220), // duplicate
    msg(heartbeat(4, 300), 230),
    msg(progress(4, 999), 240), // same seq, different content: still a duplicate
  );
  expect(state.lastSeq).toBe(4);
  expect(state.progress?.current_iteration).toBe(300);
});

test('ignores events of other simulations', () => {
  const other: ServerMessage = { ...progress(9, 900), simulation_id: 'other' } as ServerMessage;
  const state = run(...started, msg(other, 200));
  expect(state.phase).toBe('submitted');
  expect(state.progress).toBeUndefined();
});

test('keeps events that arrive before POST /run answers and replays them in order', () => {
  const state = run({ type: 'start', at: 0 }, msg(progress(2, 500), 50), msg(progress(1, 0), 40), {
    type: 'submitted',
    simulationId: ID,
    at: 60,
  });
  expect(state.lastSeq).toBe(2);
  expect(state.progress?.current_iteration).toBe(500);
  expect(state.early).toEqual([]);
});

test('a fast run that completes before the 202 arrives still ends completed', () => {
  const summary = { A1: { mean: 1, std: 0, min: 1, max: 1, percentiles: {}, errors: 0 } };
  const state = run(
    { type: 'start', at: 0 },
    msg(progress(1, 0), 10),
    msg(terminal('completed', 2, 1000, { summary }), 20),
    { type: 'submitted', simulationId: ID, at: 30 },
  );
  expect(state.phase).toBe('completed');
  expect(state.summary).toEqual(summary);
  expect(describeRun(state).bar).toEqual({ kind: 'determinate', percent: 100 });
  expect(describeRun(state)).toMatchObject({ current: 1000, total: 1000 });
});

test('flags a stall when the service goes quiet, and clears it when events resume', () => {
  let state = run(...started, msg(progress(1, 100), 1_000));
  state = runReducer(state, { type: 'tick', at: 1_000 + SILENCE_STALL_MS - 1 });
  expect(describeRun(state).silentForS).toBeUndefined();
  state = runReducer(state, { type: 'tick', at: 1_000 + 12_000 });
  expect(describeRun(state).silentForS).toBe(12);
  state = runReducer(state, msg(heartbeat(2, 100), 13_500));
  expect(describeRun(state).silentForS).toBeUndefined();
});

test('a stall before any event is visible too (service accepted the run, then silence)', () => {
  const state = run(...started, { type: 'tick', at: 100 + 7_000 });
  expect(describeRun(state)).toMatchObject({ bar: { kind: 'indeterminate' }, silentForS: 7 });
});

test('shows the stall the service reports while heartbeats still arrive', () => {
  const state = run(...started, msg(progress(1, 100, { stalled: true }), 200));
  expect(describeRun(state).serviceStalled).toBe(true);
});

test('terminal states are final', () => {
  const failed = run(
    ...started,
    msg(progress(1, 100), 200),
    msg(terminal('failed', 2, 100, { error: { code: 'engine', message: 'boom' } }), 300),
    msg(progress(3, 200), 400),
    msg(terminal('cancelled', 4, 200), 500),
  );
  expect(failed.phase).toBe('failed');
  expect(failed.error?.message).toBe('boom');
  expect(describeRun(failed)).toMatchObject({ bar: { kind: 'none' }, canRun: true, canCancel: false });

  const cancelled = run(
    ...started,
    { type: 'cancel-requested', at: 150 },
    msg(terminal('cancelled', 1, 0), 200),
  );
  expect(cancelled.phase).toBe('cancelled');
  expect(describeRun(cancelled).status).toBe('Cancelled');
});

test('a snapshot after a reconnect brings the final state of a run that ended meanwhile', () => {
  const state = run(
    ...started,
    msg(progress(1, 100), 200),
    { type: 'connection', state: 'reconnecting', at: 300 },
    { type: 'connection', state: 'open', at: 900 },
    msg({ type: 'snapshot', ...record(7, 1000, { status: 'completed' }) }, 950),
  );
  expect(state.phase).toBe('completed');
  expect(describeRun(state).bar).toEqual({ kind: 'determinate', percent: 100 });
});

test('client-side errors (service unreachable) end the run with the message', () => {
  const state = run(
    { type: 'start', at: 0 },
    {
      type: 'client-error',
      error: { code: 'unreachable', message: 'The Montecell service at http://x did not answer' },
      at: 10,
    },
  );
  expect(state.phase).toBe('failed');
  expect(describeRun(state)).toMatchObject({ bar: { kind: 'none' }, canRun: true });
});

test('time left from the trials/s of the last 2 s measured, not from Run; nothing before 2 s of it', () => {
  // 1.8 s queued and compiling, then 100 trials at 2.0 s, 180 at 2.5 s, 250 at 3.0 s, 400 at 4.0 s
  const first = run(...started, msg(progress(1, 100), 2_000));
  expect(describeRun(first)).toMatchObject({ elapsedMs: 2_000 });
  const second = runReducer(runReducer(first, msg(progress(2, 180), 2_500)), msg(progress(3, 250), 3_000));
  expect(describeRun(first).etaMs).toBeUndefined();
  expect(describeRun(second).etaMs).toBeUndefined(); // 1 s measured
  const measured = runReducer(second, msg(progress(4, 400), 4_000));
  // 300 trials in 2 s: 150 trials/s, 600 to go
  expect(describeRun(measured).etaMs).toBeCloseTo((600 / 150) * 1000, 6);
  // half a second later with no news, half a second less
  const later = runReducer(measured, { type: 'tick', at: 4_500 });
  expect(describeRun(later).etaMs).toBeCloseTo((600 / 150) * 1000 - 500, 6);
  // the workers sped up: 250 at 3.0 s to 700 at 5.0 s is 225 trials/s, 300 to go (the start forgotten)
  const faster = runReducer(later, msg(progress(5, 700), 5_000));
  expect(describeRun(faster).etaMs).toBeCloseTo((300 / 225) * 1000, 6);
});

test('the time left includes the service’s finishing time, and counts it down once the trials are done', () => {
  const f = { finishing_ms: 1_500 };
  const measured = run(...started, msg(progress(1, 100, f), 1_000), msg(progress(2, 400, f), 3_000));
  // 300 trials in 2 s: 600 to go take 4 s, then 1.5 s to the results
  expect(describeRun(measured)).toMatchObject({ status: 'Running', etaMs: 5_500 });
  const trialsDone = runReducer(measured, msg(progress(3, 1000, f), 7_000));
  expect(describeRun(trialsDone)).toMatchObject({ status: 'Computing statistics', etaMs: 1_500 });
  // heartbeats with the same count do not restart the countdown
  const later = runReducer(trialsDone, msg(heartbeat(4, 1000, f), 8_000));
  expect(describeRun(later).etaMs).toBe(500);
  // past the expected time nothing is claimed; the status still says what the service is doing
  expect(describeRun(runReducer(later, { type: 'tick', at: 9_000 }))).toMatchObject({
    status: 'Computing statistics',
    etaMs: undefined,
  });
  // a run whose trials took under 2 s never shows a guess, not even of the finishing
  const short = run(...started, msg(progress(1, 500, f), 1_000), msg(progress(2, 1000, f), 2_000));
  expect(describeRun(short)).toMatchObject({ status: 'Computing statistics', etaMs: undefined });
});

test('terminal events carrying the final record (the service’s protocol) set it', () => {
  const final = terminal('cancelled', 5, 400);
  const state = run(...started, msg(progress(1, 100), 200), msg(final, 300));
  expect(state.phase).toBe('cancelled');
  expect(state.progress).toMatchObject({ status: 'cancelled', current_iteration: 400 });
  expect(describeRun(state)).toMatchObject({ current: 400, total: 1000, bar: { kind: 'none' } });
});

test('an error about another simulation does not end this run', () => {
  const other = { type: 'error', simulation_id: 'other', error: { code: 'not_found', message: 'gone' } };
  const state = run(...started, msg(other as ServerMessage, 200));
  expect(state.phase).toBe('submitted');
  const mine = {
    type: 'error',
    error: { code: 'not_found', message: 'unknown simulation' },
  } as ServerMessage;
  expect(run(...started, msg(mine, 200)).phase).toBe('failed');
});
