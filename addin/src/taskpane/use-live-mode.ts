/**
 * Live mode: every edit of the workbook re-runs a small simulation and redraws the output's histogram.
 * Edits are gathered for DEBOUNCE_MS, then only the changed areas are read again and patched into the
 * model the pane holds; the run uses a fixed seed, so two draws differ by the edit, not by the sampling.
 * Each edit starts a new generation: a run of an older one is cancelled and never drawn over a newer one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OutputResults, ServerMessage, Variable, WorkbookModel } from '../../../shared/model';
import { type WorksheetChange, watchWorksheetChanges } from '../excel/cell-changes';
import { type CellPatch, readAreas } from '../excel/read-model';
import { ServiceClient, type ServiceSettings, webSocketUrl } from '../service/client';
import { ServiceConnection } from '../service/connection';
import { withExcel } from './office-host';
import { messageOf } from './use-simulation';

export const LIVE_TRIALS = 2_000;
/**
 * Excel raises one change event per committed edit (a paste or a fill is one event), so the wait only
 * has to gather the events of one action: a few milliseconds apart.
 */
export const DEBOUNCE_MS = 50;
/** The same seed every run: common random numbers, so what moves is what the edit moved. */
const LIVE_SEED = 20_260_101;

/**
 * The steps of a live run, as User Timing marks (`montecell-live:<step>`), so that where an edit's time
 * goes can be measured in the browser (the live-mode benchmark reads them): the edit's event, the changed
 * cells read back, the run accepted, its end announced, its results in hand. Each edit clears the last one's.
 */
export const LIVE_STEPS = ['edit', 'read', 'accepted', 'completed', 'fetched'] as const;
export const LIVE_MARK = 'montecell-live:';

function mark(step: (typeof LIVE_STEPS)[number]): void {
  if (step === 'edit') for (const each of LIVE_STEPS) performance.clearMarks(`${LIVE_MARK}${each}`);
  performance.mark(`${LIVE_MARK}${step}`);
}

export interface LiveDraw {
  /** The edit (generation) the drawn run reflects. */
  generation: number;
  simulationId: string;
  output: string;
  result: OutputResults;
  /** From the edit's event to the results in hand. */
  latencyMs: number;
}

export type LiveStatus = 'off' | 'idle' | 'running' | 'error';

export interface LiveModeOptions {
  settings: ServiceSettings;
  model: () => WorkbookModel | undefined;
  targets: string[];
  variables: Variable[];
  /** Applies re-read cells to the pane's model (and its scan). */
  onPatched: (patches: CellPatch[]) => void;
  /** Reads the whole workbook again: after rows or cells were inserted or deleted, cells moved. */
  reread: () => Promise<unknown>;
}

/** The change events whose cells stay where they were: those can be patched cell by cell. */
const IN_PLACE_CHANGES = new Set(['RangeEdited']);

type FinalMessage = Extract<ServerMessage, { type: 'completed' | 'failed' | 'cancelled' | 'error' }>;

/** The final message of each of this socket's runs, whether it comes before or after POST /run answers. */
class RunEndings {
  private readonly arrived = new Map<string, FinalMessage>();
  private readonly waiting = new Map<string, (message: FinalMessage) => void>();

  handle(message: ServerMessage): void {
    if (!['completed', 'failed', 'cancelled', 'error'].includes(message.type)) return;
    const final = message as FinalMessage;
    const id = 'simulation_id' in final ? final.simulation_id : undefined;
    if (!id) return;
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (waiter) waiter(final);
    else this.arrived.set(id, final);
  }

  wait(id: string): Promise<FinalMessage> {
    const arrived = this.arrived.get(id);
    this.arrived.delete(id);
    return arrived ? Promise.resolve(arrived) : new Promise((resolve) => this.waiting.set(id, resolve));
  }

  forget(id: string): void {
    this.arrived.delete(id);
    this.waiting.delete(id);
  }
}

export function useLiveMode(options: LiveModeOptions) {
  const [enabled, setEnabled] = useState(false);
  const [status, setStatus] = useState<LiveStatus>('off');
  const [error, setError] = useState<string>();
  const [drawn, setDrawn] = useState<LiveDraw>();
  const latest = useRef(options);
  latest.current = options;
  const generation = useRef(0);
  const editedAt = useRef(0);
  const pending = useRef<{ worksheet: string; address: string }[]>([]);
  const cellsMoved = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const socket = useRef<{ connection: ServiceConnection; endings: RunEndings } | undefined>(undefined);

  const run = useCallback(async (mine: number) => {
    const { settings, model, targets, variables } = latest.current;
    const current = model();
    const live = socket.current;
    if (!current || !live || targets.length === 0) return;
    const stale = () => mine !== generation.current;
    const client = new ServiceClient(settings);
    setStatus('running');
    let simulationId: string | undefined;
    try {
      const clientId = await live.connection.open();
      const accepted = await client.run({
        model: current,
        // the one output drawn: the analyses and the results' size grow with every output sent
        target_cells: targets.slice(0, 1),
        variables,
        correlations: [],
        iterations: LIVE_TRIALS,
        seed: LIVE_SEED,
        // stratified: 2,000 trials draw a smoother histogram than plain Monte Carlo's
        sampling: 'latin_hypercube',
        // a few thousand trials take tens of ms on the CPU; on a GPU each edited model would first be
        // built into a new CUDA program ("auto" takes a usable GPU whatever the run's size)
        engine: 'cpu',
        client_id: clientId,
      });
      simulationId = accepted.simulation_id;
      mark('accepted');
      if (stale()) return void client.cancel(simulationId).catch(() => undefined);
      const ending = await live.endings.wait(simulationId);
      mark('completed');
      if (stale()) return;
      if (ending.type !== 'completed')
        throw new Error(ending.type === 'cancelled' ? 'The live run was cancelled.' : ending.error.message);
      const results = await client.results(simulationId);
      mark('fetched');
      if (stale()) return;
      const output = targets[0] in results.outputs ? targets[0] : Object.keys(results.outputs)[0];
      const result = results.outputs[output];
      if (!result) throw new Error('The live run has no output to draw.');
      setDrawn({
        generation: mine,
        simulationId,
        output,
        result,
        latencyMs: performance.now() - editedAt.current,
      });
      setError(undefined);
      setStatus('idle');
    } catch (e) {
      if (simulationId) live.endings.forget(simulationId);
      if (stale()) return;
      setError(messageOf(e));
      setStatus('error');
    }
  }, []);

  /** A new edit: older runs are stale from now on. */
  const edited = useCallback(() => {
    generation.current++;
    editedAt.current = performance.now();
    mark('edit');
    return generation.current;
  }, []);

  const flush = useCallback(async () => {
    const mine = generation.current;
    const areas = pending.current.splice(0);
    const moved = cellsMoved.current;
    cellsMoved.current = false;
    try {
      const patches = moved ? [] : await withExcel((context) => readAreas(context, areas));
      // an edit on a sheet the pane never read (inserted since): the model needs that sheet whole
      const sheets = new Set(latest.current.model()?.sheets.map((s) => s.name));
      if (moved || patches.some((p) => !sheets.has(p.sheet))) await latest.current.reread();
      else latest.current.onPatched(patches);
      mark('read');
    } catch (e) {
      if (mine !== generation.current) return;
      setError(messageOf(e));
      setStatus('error');
      return;
    }
    await run(mine);
  }, [run]);

  const onChange = useCallback(
    (change: WorksheetChange) => {
      // the pane's own writes (results sheet, an input edited in place) are not the user's edits
      if (change.triggerSource === 'ThisLocalAddin') return;
      edited();
      if (IN_PLACE_CHANGES.has(change.changeType))
        pending.current.push({ worksheet: change.worksheetId, address: change.address });
      else cellsMoved.current = true;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), DEBOUNCE_MS);
    },
    [edited, flush],
  );

  useEffect(() => {
    if (!enabled) {
      setStatus('off');
      return;
    }
    const endings = new RunEndings();
    const connection = new ServiceConnection(webSocketUrl(latest.current.settings), {
      onMessage: (message) => endings.handle(message),
      onState: () => undefined,
    });
    socket.current = { connection, endings };
    let stop: (() => Promise<void>) | undefined;
    let closed = false;
    setStatus('idle');
    watchWorksheetChanges(onChange)
      .then((remove) => {
        if (closed) void remove();
        else stop = remove;
      })
      .catch((e) => {
        setError(`Cannot follow the workbook's changes: ${messageOf(e)}`);
        setStatus('error');
      });
    // a first draw of the model as it is
    void run(edited());
    return () => {
      closed = true;
      generation.current++;
      clearTimeout(timer.current);
      pending.current = [];
      void stop?.();
      connection.close();
      socket.current = undefined;
    };
  }, [enabled, onChange, run, edited]);

  /** The pane changed the model itself (an input edited in place): redraw for it. */
  const modelChanged = useCallback(() => {
    if (enabled) void run(edited());
  }, [enabled, run, edited]);

  return { enabled, setEnabled, status, error, drawn, modelChanged };
}
