/**
 * Runs a simulation the one designed way: open the WebSocket, wait for hello, POST /run with its
 * client_id, then feed every server event to the run reducer. Nothing here invents progress.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { SimulationRequest } from '../../../shared/model';
import { ServiceClient, ServiceError, type ServiceSettings, webSocketUrl } from '../service/client';
import { ServiceConnection } from '../service/connection';
import { describeRun, initialRunState, isTerminal, runReducer } from '../state/run-state';

const TICK_MS = 1_000;

export type RunRequest = Omit<SimulationRequest, 'client_id'>;

export function useSimulation(settings: ServiceSettings) {
  const [state, dispatch] = useReducer(runReducer, initialRunState);
  const connection = useRef<ServiceConnection | undefined>(undefined);

  // one connection per service URL and key; closed when they change or the pane goes away
  useEffect(() => {
    const created = new ServiceConnection(webSocketUrl(settings), {
      onMessage: (message) => dispatch({ type: 'message', message, at: Date.now() }),
      onState: (connectionState) => dispatch({ type: 'connection', state: connectionState, at: Date.now() }),
    });
    connection.current = created;
    return () => created.close();
  }, [settings]);

  const live = state.phase === 'connecting' || state.phase === 'submitted' || state.phase === 'live';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => dispatch({ type: 'tick', at: Date.now() }), TICK_MS);
    return () => clearInterval(timer);
  }, [live]);

  useEffect(() => {
    if (isTerminal(state.phase)) connection.current?.watch(undefined);
  }, [state.phase]);

  const run = useCallback(
    async (request: RunRequest) => {
      const socket = connection.current;
      if (!socket) return;
      dispatch({ type: 'start', at: Date.now() });
      try {
        const clientId = await socket.open();
        const accepted = await new ServiceClient(settings).run({
          ...request,
          client_id: clientId,
        } as SimulationRequest);
        socket.watch(accepted.simulation_id);
        dispatch({ type: 'submitted', simulationId: accepted.simulation_id, at: Date.now() });
      } catch (e) {
        const error =
          e instanceof ServiceError
            ? { code: e.code, message: e.message }
            : { code: 'connection', message: messageOf(e) };
        dispatch({ type: 'client-error', error, at: Date.now() });
      }
    },
    [settings],
  );

  /** Asks the service to stop; the run ends when the service says `cancelled`. Resolves with a problem, if any. */
  const cancel = useCallback(async (): Promise<string | undefined> => {
    if (!state.simulationId) return undefined;
    dispatch({ type: 'cancel-requested', at: Date.now() });
    try {
      await new ServiceClient(settings).cancel(state.simulationId);
      return undefined;
    } catch (e) {
      return `Cancel failed: ${messageOf(e)}`;
    }
  }, [settings, state.simulationId]);

  return { state, view: describeRun(state), run, cancel };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
