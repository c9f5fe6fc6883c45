/**
 * Results: per output a statistics table, a histogram, the CDF and a tornado of input sensitivities
 * (Fluent UI charts); "Write to sheet"; earlier runs of this session stay selectable.
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
import { TableArrowUpRegular } from '@fluentui/react-icons/lib/atoms/svg/table-arrow-up';
import { useState } from 'react';
import {
  type InputSensitivity,
  namedCell,
  type OutputResults,
  type SimulationResults,
} from '../../../shared/model';
import { percentileRows, STATISTIC_ROWS } from '../service/results';
import { formatCount, formatDuration, formatStatistic } from '../state/format';
import { EngineUsed } from './EngineUsed';

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
  tornado: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXS,
  },
  // the same columns on every row, so the centre lines align
  tornadoRow: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(90px, 1.2fr) 3.2em',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
  },
  // names wrap (at spaces, or anywhere in a long one) instead of being cut
  tornadoName: { overflowWrap: 'anywhere', fontSize: tokens.fontSizeBase200 },
  tornadoTrack: {
    position: 'relative',
    height: '14px',
    backgroundImage: `linear-gradient(${tokens.colorNeutralStroke1}, ${tokens.colorNeutralStroke1})`,
    backgroundSize: '1px 100%',
    backgroundPosition: 'center',
    backgroundRepeat: 'no-repeat',
  },
  tornadoBar: { position: 'absolute', top: 0, bottom: 0 },
  chart: { width: '100%', minHeight: '200px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

const CHART_HEIGHT = 200;

export function ResultsTab(props: { runs: CompletedRun[]; onWrite: (run: CompletedRun) => Promise<string> }) {
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

  const write = async () => {
    setWriting({ busy: true });
    try {
      setWriting({ busy: false, message: `Written to the sheet "${await props.onWrite(run)}".` });
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
      <Tornado sensitivity={run.results.sensitivity[output] ?? []} />
      <Button icon={<TableArrowUpRegular />} onClick={write} disabled={writing.busy}>
        Write to sheet
      </Button>
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

/**
 * The inputs by rank correlation, strongest first: each input's full name (wrapping in a narrow pane),
 * a bar from the centre line to the left (negative) or right, and the value.
 */
function Tornado({ sensitivity }: { sensitivity: InputSensitivity[] }) {
  const styles = useStyles();
  const shown = sensitivity.slice(0, 10);
  if (shown.length === 0) return null;
  // bars of 0.00 would read as a finding: an output whose numeric trials are all equal moves with nothing
  if (shown.every((s) => Math.abs(s.rank_correlation) < 0.005))
    return (
      <Caption1 data-testid="tornado">
        Sensitivity: no input is rank-correlated with this output’s numeric trials.
      </Caption1>
    );
  return (
    <section aria-label="Sensitivity (rank correlation)" data-testid="tornado">
      <Subtitle2>Sensitivity (rank correlation)</Subtitle2>
      <ul className={styles.tornado} aria-label="Inputs by rank correlation">
        {shown.map((s) => {
          // the engine labels unnamed inputs "Sheet!B4 FUNCTION"; the cell is what the user can find
          const cell = s.input.split(' ')[0];
          const rho = s.rank_correlation;
          const value = rho.toFixed(2).replace('-', '−');
          const half = `${Math.min(1, Math.abs(rho)) * 50}%`;
          return (
            <li key={s.input} className={styles.tornadoRow} title={`${namedCell(cell, s.name)}: ${value}`}>
              <span className={styles.tornadoName}>{s.name ?? cell}</span>
              <span className={styles.tornadoTrack} aria-hidden="true">
                <span
                  className={styles.tornadoBar}
                  style={{
                    width: half,
                    ...(rho >= 0 ? { left: '50%' } : { right: '50%' }),
                    backgroundColor:
                      rho >= 0 ? tokens.colorPaletteBlueBorderActive : tokens.colorPaletteRedBorderActive,
                  }}
                />
              </span>
              <Caption1 className={styles.number}>{value}</Caption1>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
