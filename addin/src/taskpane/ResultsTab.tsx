/**
 * Results: per output a statistics table, a histogram, the CDF, the sensitivity analyses (tornado by
 * method, spider, scatter, scenarios) and comparisons (overlay, simulations side by side); "Write to
 * sheet"; earlier runs of this session stay selectable.
 */

import { LineChart, VerticalBarChart } from '@fluentui/react-charts';
import {
  Button,
  Caption1,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Option,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from '@fluentui/react-components';
import { DocumentTableRegular } from '@fluentui/react-icons/lib/atoms/svg/document-table';
import { TableArrowUpRegular } from '@fluentui/react-icons/lib/atoms/svg/table-arrow-up';
import { useState } from 'react';
import { namedCell, type OutputResults, type SimulationResults } from '../../../shared/model';
import { percentileRows, STATISTIC_ROWS } from '../service/results';
import { formatCount, formatDuration, formatStatistic } from '../state/format';
import { ScatterPlot, ScenarioAnalysis, SensitivityAnalysis, SpiderPlot } from './Analyses';
import { OutputOverlay, SimulationsSideBySide } from './Comparisons';
import { EngineUsed } from './EngineUsed';
import { CHART_HEIGHT } from './results-layout';

export interface CompletedRun {
  simulationId: string;
  finishedAt: Date;
  iterations: number;
  results: SimulationResults;
}

const useStyles = makeStyles({
  tab: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  // one picker a line, its label beside it: side by side they squeezed the run's label onto two lines
  pickers: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  picker: { gridTemplateColumns: '4em minmax(0, 1fr)' },
  control: { minWidth: 0, width: '100%' },
  oneLine: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  about: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
  },
  chart: { width: '100%', minHeight: '200px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

export function ResultsTab(props: {
  runs: CompletedRun[];
  onWrite: (run: CompletedRun) => Promise<string>;
  /** "Write report": the report sheet with its charts. */
  onWriteReport: (run: CompletedRun) => Promise<string>;
}) {
  const styles = useStyles();
  const [runId, setRunId] = useState<string>();
  const [outputKey, setOutputKey] = useState<string>();
  const [writing, setWriting] = useState<{ busy: boolean; message?: string; failed?: boolean }>({
    busy: false,
  });
  const run = props.runs.find((r) => r.simulationId === runId) ?? props.runs[0];
  if (!run) return <Caption1>Results appear here when a simulation completes.</Caption1>;
  const outputs = Object.keys(run.results.outputs);
  const output = outputs.includes(outputKey ?? '') ? (outputKey as string) : outputs[0];
  const result = run.results.outputs[output];
  const title = (key: string) => namedCell(key, run.results.outputs[key]?.name);
  const label = (r: CompletedRun) =>
    `${r.finishedAt.toLocaleTimeString('en-GB')} · ${formatCount(r.iterations)} trials`;

  const write = async (writer: (run: CompletedRun) => Promise<string>) => {
    setWriting({ busy: true });
    try {
      setWriting({ busy: false, message: `Written to the sheet "${await writer(run)}".` });
    } catch (e) {
      setWriting({ busy: false, failed: true, message: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div className={styles.tab} data-testid="results">
      <div className={styles.pickers}>
        <Field label="Run" orientation="horizontal" className={styles.picker}>
          <Dropdown
            className={styles.control}
            button={{ className: styles.oneLine }}
            value={label(run)}
            selectedOptions={[run.simulationId]}
            onOptionSelect={(_, d) => setRunId(d.optionValue)}
          >
            {props.runs.map((r) => (
              <Option key={r.simulationId} value={r.simulationId} text={label(r)}>
                {label(r)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Output" orientation="horizontal" className={styles.picker}>
          <Dropdown
            className={styles.control}
            button={{ className: styles.oneLine }}
            value={title(output)}
            selectedOptions={[output]}
            onOptionSelect={(_, d) => setOutputKey(d.optionValue)}
          >
            {outputs.map((o) => (
              <Option key={o} value={o} text={title(o)}>
                {title(o)}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <div className={styles.about}>
        <EngineUsed results={run.results} />
        <Caption1>Computed in {formatDuration(run.results.elapsed_ms)}</Caption1>
      </div>
      {(run.results.warnings ?? []).map((warning) => (
        <MessageBar key={warning} intent="warning">
          <MessageBarBody>{warning}</MessageBarBody>
        </MessageBar>
      ))}
      {result && result.errors > 0 && (
        <ErrorTrials result={result} trials={result.statistics.count + result.errors} />
      )}
      {result && <StatisticsTable result={result} />}
      {result && <Histogram result={result} />}
      {result && <Cdf result={result} />}
      <SensitivityAnalysis rows={run.results.sensitivity[output] ?? []} />
      <SpiderPlot rows={run.results.sensitivity[output] ?? []} />
      <ScatterPlot results={run.results} output={output} />
      <ScenarioAnalysis scenarios={run.results.scenarios?.[output]} />
      <OutputOverlay results={run.results} output={output} />
      <SimulationsSideBySide results={run.results} output={output} />
      <div className={styles.actions}>
        <Button icon={<TableArrowUpRegular />} onClick={() => write(props.onWrite)} disabled={writing.busy}>
          Write to sheet
        </Button>
        <Button
          icon={<DocumentTableRegular />}
          onClick={() => write(props.onWriteReport)}
          disabled={writing.busy}
        >
          Write report
        </Button>
      </div>
      {writing.message && (
        <MessageBar intent={writing.failed ? 'error' : 'success'}>
          <MessageBarBody>{writing.message}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}

function StatisticsTable({ result }: { result: OutputResults }) {
  const styles = useStyles();
  const rows = [
    ...STATISTIC_ROWS.map((row) => ({ label: row.label, value: row.value(result) })),
    ...percentileRows(result),
  ];
  return (
    <Table size="extra-small" aria-label="Statistics" data-testid="statistics">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Statistic</TableHeaderCell>
          <TableHeaderCell className={styles.number}>Value</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.label}>
            <TableCell>{row.label}</TableCell>
            <TableCell className={styles.number}>{formatStatistic(row.value)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Histogram({ result }: { result: OutputResults }) {
  const styles = useStyles();
  const { edges, counts } = result.histogram;
  const data = counts.flatMap((count, i) => {
    const lo = edges[i];
    const hi = edges[i + 1];
    if (lo === null || hi === null || lo === undefined || hi === undefined) return [];
    const x = (lo + hi) / 2;
    return [{ x, y: count, xAxisCalloutData: `${formatStatistic(lo)} – ${formatStatistic(hi)}` }];
  });
  if (data.length === 0) return null;
  return (
    <section className={styles.chart} aria-label="Histogram" data-testid="histogram">
      <Subtitle2>Histogram</Subtitle2>
      <VerticalBarChart
        data={data}
        height={CHART_HEIGHT}
        hideLegend
        barWidth="auto"
        useSingleColor
        colors={[tokens.colorBrandBackground]}
        yAxisTitle="Trials"
      />
    </section>
  );
}

function Cdf({ result }: { result: OutputResults }) {
  const styles = useStyles();
  const points = result.cdf.flatMap((p) => (p.x === null ? [] : [{ x: p.x, y: p.p }]));
  if (points.length === 0) return null;
  return (
    <section className={styles.chart} aria-label="Cumulative distribution" data-testid="cdf">
      <Subtitle2>Cumulative probability</Subtitle2>
      <LineChart
        data={{ lineChartData: [{ legend: 'P(X ≤ x)', data: points, color: tokens.colorBrandForeground1 }] }}
        height={CHART_HEIGHT}
        hideLegend
        yMinValue={0}
        yMaxValue={1}
      />
    </section>
  );
}

/** An output some of whose trials were not numbers: how many, of which kind; the statistics ignore them. */
function ErrorTrials({ result, trials }: { result: OutputResults; trials: number }) {
  const share = (n: number) => `${((100 * n) / trials).toFixed(1)} %`;
  const kinds = Object.entries(result.non_numeric)
    .filter(([, n]) => n > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, n]) => `${kind} in ${formatCount(n)} trials (${share(n)})`);
  return (
    <MessageBar intent="warning" data-testid="error-trials">
      <MessageBarBody>
        <MessageBarTitle>{share(result.errors)} of the trials are not numbers</MessageBarTitle>
        {kinds.join(', ')}. The statistics and charts describe the other{' '}
        {formatCount(result.statistics.count)} trials.
      </MessageBarBody>
    </MessageBar>
  );
}
