/** The Montecell task pane: Model, Run, Results and Settings tabs in Office's light or dark theme. */
import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Tab,
  TabList,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DistributionSpec, WorkbookModel } from '../../../shared/model';
import { splitAddress } from '../excel/addresses';
import { writeFormula } from '../excel/cell-changes';
import {
  emptyDefinitions,
  loadDefinitions,
  type ModelDefinitions,
  saveDefinitions,
} from '../excel/definitions';
import {
  type CellPatch,
  patchModel,
  type ReadProgress,
  readAreas,
  readWorkbookModel,
} from '../excel/read-model';
import { writeReportSheet } from '../excel/report-sheet';
import { writeResultsSheet } from '../excel/results-sheet';
import { applySwap, planWorkbookSwap } from '../excel/swap';
import { selectCell, selectedCells } from '../excel/workbook-actions';
import { publishRunResults } from '../functions/results-store';
import { type InputDetail, outputName, rewriteDistribution } from '../model/inputs';
import { type ModelScan, scanModel } from '../model/scan';
import { ServiceClient, type ServiceSettings } from '../service/client';
import { formatCount } from '../state/format';
import { loadSettings, saveSettings } from '../state/settings';
import { LivePanel } from './LivePanel';
import { ModelCheckMessages, ModelTab } from './ModelTab';
import { documentSettings, officeIsDark, withExcel } from './office-host';
import { type CompletedRun, ResultsTab } from './ResultsTab';
import { DEFAULT_RUN_FORM, type RunForm, type RunOptions, RunTab } from './RunTab';
import { SettingsTab } from './SettingsTab';
import { SwapFunctions } from './SwapFunctions';
import { useLiveMode } from './use-live-mode';
import { useModelCheck } from './use-model-check';
import { messageOf, useSimulation } from './use-simulation';

type TabName = 'model' | 'run' | 'results' | 'settings';

const useStyles = makeStyles({
  pane: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    minWidth: '300px',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

export function App() {
  const styles = useStyles();
  const [tab, setTab] = useState<TabName>('model');
  const [runForm, setRunForm] = useState<RunForm>(DEFAULT_RUN_FORM);
  const [settings, setSettings] = useState<ServiceSettings>(() => loadSettings());
  const [definitions, setDefinitions] = useState<ModelDefinitions>(emptyDefinitions);
  const [scan, setScan] = useState<ModelScan>();
  const [reading, setReading] = useState<ReadProgress | 'starting'>();
  const [readError, setReadError] = useState<string>();
  const [runs, setRuns] = useState<CompletedRun[]>([]);
  const [notice, setNotice] = useState<string>();
  const model = useRef<WorkbookModel | undefined>(undefined);
  const simulation = useSimulation(settings);

  const readModel = useCallback(async (): Promise<WorkbookModel | undefined> => {
    setReading('starting');
    setReadError(undefined);
    try {
      const result = await withExcel((context) => readWorkbookModel(context, { onProgress: setReading }));
      model.current = result.model;
      setScan(scanModel(result.model));
      return result.model;
    } catch (e) {
      setReadError(messageOf(e));
      return undefined;
    } finally {
      setReading(undefined);
    }
  }, []);

  useEffect(() => {
    const store = documentSettings();
    if (store) setDefinitions(loadDefinitions(store));
    void readModel();
  }, [readModel]);

  const changeDefinitions = (next: ModelDefinitions) => {
    setDefinitions(next);
    const store = documentSettings();
    if (store)
      saveDefinitions(store, next).catch((e) => setNotice(`Could not save in the workbook: ${messageOf(e)}`));
  };

  const targets = [
    ...new Set([...(scan?.outputs ?? []).map((o) => o.cell), ...definitions.outputs.map((o) => o.cell)]),
  ];
  // the cells re-read after an edit, patched into the model held here: the workbook is not read again
  const applyPatches = (patches: CellPatch[]) => {
    if (!model.current) return;
    model.current = patchModel(model.current, patches);
    setScan(scanModel(model.current));
  };
  const live = useLiveMode({
    settings,
    model: () => model.current,
    targets,
    variables: definitions.inputs,
    onPatched: applyPatches,
    reread: readModel,
  });
  const check = useModelCheck(
    settings,
    scan && model.current,
    targets,
    definitions.inputs,
    live.enabled || tab !== 'model',
  );

  const editInput = async (input: InputDetail, spec: DistributionSpec) => {
    const formula = rewriteDistribution(input.formula, spec, input.function);
    const { sheet, start } = splitAddress(input.cell);
    const patches = await withExcel(async (context) => {
      await writeFormula(context, input.cell, formula);
      return readAreas(context, [{ worksheet: sheet, address: start }]);
    });
    applyPatches(patches);
    live.modelChanged();
  };

  const ready = targets.length === 0 ? 'Add at least one output (Model tab) before running.' : undefined;

  const run = async (options: RunOptions) => {
    const current = await readModel(); // the workbook may have changed since the last scan
    if (!current) return setTab('model');
    await simulation.run({
      model: current,
      target_cells: targets,
      variables: definitions.inputs,
      correlations: [],
      ...options,
    });
  };

  // a completed run's full results (statistics, histogram, CDF, sensitivity) come from REST
  const { phase, simulationId, progress } = simulation.state;
  useEffect(() => {
    if (phase !== 'completed' || !simulationId) return;
    new ServiceClient(settings)
      .results(simulationId)
      .then((results) => {
        const completed = {
          simulationId,
          finishedAt: new Date(),
          iterations: results.iterations ?? progress?.total_iterations ?? 0,
          results,
        };
        setRuns((old) => [completed, ...old.filter((r) => r.simulationId !== simulationId)]);
        publishRunResults(results); // the MC.* statistics functions in the workbook show them
      })
      .catch((e) => setNotice(`The run completed but its results could not be fetched: ${messageOf(e)}`));
  }, [phase, simulationId, settings, progress?.total_iterations]);

  const writeRun = async (completed: CompletedRun): Promise<string> => {
    const client = new ServiceClient(settings);
    const samples: Record<string, Float64Array> = {};
    for (const output of Object.keys(completed.results.outputs))
      samples[output] = await client.samples(completed.simulationId, output);
    return withExcel((context) =>
      writeResultsSheet(context, {
        simulationId: completed.simulationId,
        results: completed.results,
        samples,
      }),
    );
  };

  const latest = runs[0];
  return (
    <FluentProvider theme={officeIsDark() ? webDarkTheme : webLightTheme}>
      <main className={styles.pane}>
        <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabName)} size="small">
          <Tab value="model">Model</Tab>
          <Tab value="run">Run</Tab>
          <Tab value="results">Results{runs.length > 0 ? ` (${runs.length})` : ''}</Tab>
          <Tab value="settings">Settings</Tab>
        </TabList>
        {notice && (
          <MessageBar intent="warning">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
        {tab === 'model' && (
          <ModelTab
            scan={scan}
            model={model.current}
            check={check}
            onEditInput={editInput}
            reading={reading}
            readError={readError}
            definitions={definitions}
            onRescan={() => void readModel()}
            onSelectCell={(cell) =>
              void withExcel((context) => selectCell(context, cell)).catch((e) => setNotice(messageOf(e)))
            }
            getSelection={() => withExcel((context) => selectedCells(context))}
            onChange={changeDefinitions}
          />
        )}
        {tab === 'run' && (
          <>
            {/* the Model tab's last check of this model, where it has something to say before Run */}
            {(check?.state === 'refused' || (check?.state === 'checked' && check.warnings.length > 0)) && (
              <ModelCheckMessages check={check} />
            )}
            <RunTab
              form={runForm}
              onFormChange={setRunForm}
              state={simulation.state}
              view={simulation.view}
              ready={reading ? 'Reading the workbook…' : (readError ?? ready)}
              ranOn={latest?.simulationId === simulationId ? latest?.results : undefined}
              onRun={(options) => void run(options)}
              onCancel={simulation.cancel}
            />
            <LivePanel
              enabled={live.enabled}
              onToggle={live.setEnabled}
              status={live.status}
              error={live.error}
              drawn={live.drawn}
              outputName={(cell) =>
                model.current &&
                outputName(model.current, cell, scan?.outputs.find((o) => o.cell === cell)?.name)
              }
            />
            {phase === 'completed' && latest?.simulationId === simulationId && (
              <Button appearance="primary" onClick={() => setTab('results')}>
                Show results ({formatCount(latest.iterations)} iterations)
              </Button>
            )}
          </>
        )}
        {tab === 'results' && (
          <>
            <ResultsTab
              runs={runs}
              onWrite={writeRun}
              onWriteReport={(completed) =>
                withExcel((context) =>
                  writeReportSheet(context, { results: completed.results, finishedAt: completed.finishedAt }),
                )
              }
            />
            <SwapFunctions
              plan={(direction) => withExcel((context) => planWorkbookSwap(context, direction))}
              apply={async (plan) => {
                const count = await withExcel((context) => applySwap(context, plan));
                void readModel(); // the model's functions changed
                return count;
              }}
            />
          </>
        )}
        {tab === 'settings' && (
          <SettingsTab
            settings={settings}
            onSave={(next) => {
              saveSettings(next);
              setSettings(next);
              setNotice(undefined);
            }}
          />
        )}
      </main>
    </FluentProvider>
  );
}
