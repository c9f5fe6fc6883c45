/**
 * Asks the service, before any run, whether it will run the model as the pane last read it, and with
 * which warnings (POST /api/simulations/check: the intake's own compile). Asked again whenever the model,
 * its outputs or its inputs change; an answer for an older model is dropped.
 */
import { useEffect, useRef, useState } from 'react';
import type { Variable, WorkbookModel } from '../../../shared/model';
import { ServiceClient, ServiceError, type ServiceSettings } from '../service/client';
import type { ModelCheckState } from './ModelTab';
import { messageOf } from './use-simulation';

/** Quiet time before asking: a burst of edits asks once. */
const CHECK_DELAY_MS = 300;

export function useModelCheck(
  settings: ServiceSettings,
  model: WorkbookModel | undefined,
  targets: string[],
  variables: Variable[],
  /**
   * While the Model tab is not shown (no one reads the answer, and a check would compete with the run
   * just started for the service's intake), or while live mode runs the model on every edit.
   */
  paused = false,
): ModelCheckState | undefined {
  const [check, setCheck] = useState<ModelCheckState>();
  const answered = useRef<{ model: WorkbookModel; targetKey: string; variables: Variable[] }>(undefined);
  const targetKey = targets.join('\n');
  useEffect(() => {
    // an answer for another model is not shown, even while no new one is asked for
    if (paused) {
      const last = answered.current;
      const same =
        last !== undefined &&
        last.model === model &&
        last.targetKey === targetKey &&
        last.variables === variables;
      return void (!same && setCheck(undefined));
    }
    if (!model || targetKey === '') return setCheck(undefined);
    const asked = answered.current;
    if (asked?.model === model && asked.targetKey === targetKey && asked.variables === variables) return;
    answered.current = undefined;
    let current = true;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      new ServiceClient(settings)
        .check({
          model,
          target_cells: targetKey.split('\n'),
          variables,
          correlations: [],
          iterations: 1_000,
          sampling: 'monte_carlo',
          engine: 'auto',
        })
        .then((answer) => {
          if (!current) return;
          answered.current = { model, targetKey, variables };
          setCheck({ state: 'checked', warnings: answer.warnings });
        })
        .catch((e) => {
          if (!current) return;
          const refused = e instanceof ServiceError && e.status === 422;
          if (refused) answered.current = { model, targetKey, variables };
          setCheck({ state: refused ? 'refused' : 'unavailable', message: messageOf(e) });
        });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [settings, model, targetKey, variables, paused]);
  return check;
}
