/**
 * Run: options, then only what the service says — an indeterminate bar until its first event, then its
 * percentage, iterations, elapsed time and ETA; a visible stall when it goes quiet; its error message.
 */
import {
  Button,
  Caption1,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Option,
  ProgressBar,
  Text,
  tokens,
} from '@fluentui/react-components';
// one module per icon: the package's barrel makes webpack parse thousands of icons
import { DismissRegular } from '@fluentui/react-icons/lib/atoms/svg/dismiss';
import { PlayRegular } from '@fluentui/react-icons/lib/atoms/svg/play';
import { useState } from 'react';
import { type EngineChoice, LIMITS, type Sampling, type SimulationResults } from '../../../shared/model';
import { formatCount, formatDuration } from '../state/format';
import type { RunState, RunView } from '../state/run-state';
import { EngineUsed } from './EngineUsed';

const useStyles = makeStyles({
  tab: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  options: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(130px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  control: { minWidth: 0, width: '100%' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
  },
});

export interface RunOptions {
  iterations: number;
  seed?: number;
  sampling: Sampling;
  engine: EngineChoice;
}

const SAMPLING: Record<Sampling, string> = { monte_carlo: 'Monte Carlo', latin_hypercube: 'Latin hypercube' };
const ENGINES: Record<EngineChoice, string> = {
  auto: 'Automatic',
  cpu: 'CPU',
  gpu: 'GPU',
};

/** The run's settings as the user typed them: kept by the pane, so another tab's visit keeps them. */
export interface RunForm {
  iterations: string;
  seed: string;
  sampling: Sampling;
  engine: EngineChoice;
}

export const DEFAULT_RUN_FORM: RunForm = {
  iterations: '10000',
  seed: '',
  sampling: 'latin_hypercube',
  engine: 'auto',
};

export function RunTab(props: {
  state: RunState;
  view: RunView;
  ready: string | undefined;
  /** The results of this run once fetched: which engine computed it. */
  ranOn?: Pick<SimulationResults, 'engine_used' | 'engine_note'>;
  form: RunForm;
  onFormChange: (form: RunForm) => void;
  onRun: (options: RunOptions) => void;
  onCancel: () => Promise<string | undefined>;
}) {
  const styles = useStyles();
  const { iterations, seed, sampling, engine } = props.form;
  const change = (part: Partial<RunForm>) => props.onFormChange({ ...props.form, ...part });
  const setIterations = (value: string) => change({ iterations: value });
  const setSeed = (value: string) => change({ seed: value });
  const setSampling = (value: Sampling) => change({ sampling: value });
  const setEngine = (value: EngineChoice) => change({ engine: value });
  const [cancelProblem, setCancelProblem] = useState<string>();
  const { view, state } = props;

  const iterationCount = Number(iterations);
  const iterationsError =
    !Number.isInteger(iterationCount) || iterationCount < 1 || iterationCount > LIMITS.maxIterations
      ? `Enter a whole number from 1 to ${formatCount(LIMITS.maxIterations)}`
      : undefined;
  const seedValue = seed.trim() === '' ? undefined : Number(seed);
  const seedError =
    seedValue !== undefined && !(Number.isSafeInteger(seedValue) && seedValue >= 0)
      ? 'A whole number ≥ 0, or empty'
      : undefined;
  const canStart = view.canRun && !iterationsError && !seedError && props.ready === undefined;

  return (
    <div className={styles.tab}>
      <div className={styles.options}>
        <Field
          label="Iterations"
          validationState={iterationsError ? 'error' : 'none'}
          validationMessage={iterationsError}
        >
          <Input
            className={styles.control}
            value={iterations}
            inputMode="numeric"
            onChange={(_, d) => setIterations(d.value.replace(/[,\s]/g, ''))}
          />
        </Field>
        <Field label="Seed" validationState={seedError ? 'error' : 'none'} validationMessage={seedError}>
          <Input
            className={styles.control}
            placeholder="Random"
            value={seed}
            inputMode="numeric"
            onChange={(_, d) => setSeed(d.value)}
          />
        </Field>
        <Field label="Sampling">
          <Dropdown
            className={styles.control}
            value={SAMPLING[sampling]}
            selectedOptions={[sampling]}
            onOptionSelect={(_, d) => d.optionValue && setSampling(d.optionValue as Sampling)}
          >
            {Object.entries(SAMPLING).map(([value, label]) => (
              <Option key={value} value={value}>
                {label}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Engine">
          <Dropdown
            className={styles.control}
            value={ENGINES[engine]}
            selectedOptions={[engine]}
            onOptionSelect={(_, d) => d.optionValue && setEngine(d.optionValue as EngineChoice)}
          >
            {Object.entries(ENGINES).map(([value, label]) => (
              <Option key={value} value={value}>
                {label}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      {props.ready && <Caption1>{props.ready}</Caption1>}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={<PlayRegular />}
          disabled={!canStart}
          onClick={() => props.onRun({ iterations: iterationCount, seed: seedValue, sampling, engine })}
        >
          Run
        </Button>
        <Button
          icon={<DismissRegular />}
          disabled={!view.canCancel}
          onClick={async () => setCancelProblem(await props.onCancel())}
        >
          Cancel
        </Button>
      </div>
      <RunProgress state={state} view={view} ranOn={props.ranOn} />
      {cancelProblem && (
        <MessageBar intent="warning">
          <MessageBarBody>{cancelProblem}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}

function RunProgress({
  state,
  view,
  ranOn,
}: {
  state: RunState;
  view: RunView;
  ranOn?: Pick<SimulationResults, 'engine_used' | 'engine_note'>;
}) {
  const styles = useStyles();
  if (state.phase === 'idle') return null;
  const { bar } = view;
  const children = state.progress?.children ?? [];
  const chunks =
    children.length > 1
      ? `${children.filter((c) => c.status === 'completed').length} of ${children.length} chunks done`
      : undefined;
  return (
    <section
      aria-label="Simulation progress"
      aria-live="polite"
      data-testid="run-progress"
      data-phase={state.phase}
    >
      <Text weight="semibold" data-testid="run-status">
        {view.status}
        {bar.kind === 'determinate' && ` — ${bar.percent.toFixed(bar.percent < 100 ? 1 : 0)} %`}
      </Text>
      {bar.kind === 'indeterminate' && <ProgressBar thickness="large" aria-label="Waiting for the service" />}
      {bar.kind === 'determinate' && (
        <ProgressBar
          thickness="large"
          value={bar.percent / 100}
          color={
            state.phase === 'completed' ? 'success' : view.silentForS !== undefined ? 'warning' : 'brand'
          }
          aria-label="Simulation progress"
          aria-valuetext={`${bar.percent} %`}
        />
      )}
      <div className={styles.figures}>
        {view.current !== undefined && view.total !== undefined && (
          <Caption1 data-testid="run-iterations">
            {formatCount(view.current)} of {formatCount(view.total)} iterations
          </Caption1>
        )}
        {view.elapsedMs !== undefined && <Caption1>Elapsed {formatDuration(view.elapsedMs)}</Caption1>}
        {view.etaMs !== undefined && (
          <Caption1 data-testid="run-time-left">About {formatDuration(view.etaMs)} left</Caption1>
        )}
        {state.phase === 'completed' && ranOn && <EngineUsed results={ranOn} />}
        {chunks && <Caption1 data-testid="run-chunks">{chunks}</Caption1>}
        {state.connection === 'reconnecting' && <Caption1>Connection lost — reconnecting…</Caption1>}
      </div>
      {view.silentForS !== undefined && (
        <MessageBar intent="warning" data-testid="run-stalled">
          <MessageBarBody>
            <MessageBarTitle>Stalled</MessageBarTitle>
            No response from the service for {view.silentForS} s
            {state.connection === 'reconnecting' ? ' (the connection dropped; reconnecting)' : ''}.
          </MessageBarBody>
        </MessageBar>
      )}
      {view.serviceStalled && view.silentForS === undefined && (
        <MessageBar intent="warning" data-testid="run-stalled">
          <MessageBarBody>
            <MessageBarTitle>Stalled</MessageBarTitle>
            The service reports no progress from its workers; it is handing the work to another worker.
          </MessageBarBody>
        </MessageBar>
      )}
      {state.phase === 'failed' && state.error && (
        <MessageBar intent="error" data-testid="run-error">
          <MessageBarBody>
            <MessageBarTitle>Simulation failed</MessageBarTitle>
            {state.error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {state.phase === 'cancelled' && (
        <MessageBar intent="info">
          <MessageBarBody>The simulation was cancelled.</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
