/**
 * The analyses of an output on the Results tab, as the service computed them (shared/model/results.ts):
 * a tornado by the method the analyst picks (rank correlation, regression, contribution to variance,
 * change in output mean), the spider plot of the output's mean across each input's deciles, the scatter
 * of an input against the output, and the scenario analysis of the output's tails. Nothing is computed
 * here beyond what drawing needs.
 */

import { LineChart, ScatterChart } from '@fluentui/react-charts';
import {
  Caption1,
  makeStyles,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { InputSensitivity, Scenario, SimulationResults } from '../../../shared/model';
import { inputCell, inputName } from '../service/results';
import { formatStatistic } from '../state/format';
import { CHART_HEIGHT, Picker, SERIES_COLORS, useSectionStyles } from './results-layout';

const useTornadoStyles = makeStyles({
  bars: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '6px' },
  bar: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 38%) minmax(0, 1fr) auto',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
  },
  // the full name, wrapped over as many lines as it needs; the cell on hover
  label: { overflowWrap: 'anywhere', lineHeight: tokens.lineHeightBase200, fontSize: tokens.fontSizeBase200 },
  track: { position: 'relative', height: '14px' },
  axis: {
    position: 'absolute',
    left: '50%',
    top: '-3px',
    bottom: '-3px',
    width: '1px',
    backgroundColor: tokens.colorNeutralStroke1,
  },
  positive: {
    position: 'absolute',
    left: '50%',
    height: '100%',
    backgroundColor: tokens.colorPaletteBlueBorderActive,
  },
  negative: {
    position: 'absolute',
    right: '50%',
    height: '100%',
    backgroundColor: tokens.colorPaletteRedBorderActive,
  },
  value: { fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums', textAlign: 'end' },
});

const TORNADO_BARS = 10;
/** Below this every method's bars would all print as zero. */
const NEGLIGIBLE = 0.005;
const SPIDER_LINES = 5;

interface SensitivityMethod {
  label: string;
  /** The bar's signed length, undefined where this method has no value for the input. */
  value: (s: InputSensitivity) => number | undefined;
  format: (v: number) => string;
}

const signed = (v: number) => v.toFixed(2).replace('-', '−');

const METHODS: Record<string, SensitivityMethod> = {
  rank: { label: 'Rank correlation', value: (s) => s.rank_correlation, format: signed },
  regression: { label: 'Regression (standardised)', value: (s) => s.regression, format: signed },
  variance: {
    label: 'Contribution to variance',
    value: (s) => s.contribution_to_variance,
    format: (v) => `${(100 * v).toFixed(1)} %`,
  },
  mean: {
    label: 'Change in output mean',
    // the bar runs the way the output's mean moves from the input's lowest decile to its highest
    value: (s) => {
      const change = s.change_in_mean;
      if (!change) return undefined;
      const means = change.decile_means;
      return means[means.length - 1] >= means[0] ? change.spread : -change.spread;
    },
    format: (v) => formatStatistic(Math.abs(v)),
  },
};

/** A tornado drawn in HTML, so that long input names wrap in full instead of being cut. */
function Tornado({ rows, method }: { rows: InputSensitivity[]; method: SensitivityMethod }) {
  const styles = useTornadoStyles();
  const bars = rows
    .flatMap((s) => {
      const v = method.value(s);
      return v === undefined || !Number.isFinite(v) ? [] : [{ s, v }];
    })
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
    .slice(0, TORNADO_BARS);
  if (bars.length === 0) return <Caption1>No input has a value for this method.</Caption1>;
  const longest = Math.max(...bars.map((b) => Math.abs(b.v)));
  // bars of 0.00 would read as a finding: an output whose numeric trials are all equal moves with nothing
  if (!(longest >= NEGLIGIBLE))
    return (
      <Caption1 data-testid="tornado">
        Sensitivity: no input moves this output’s numeric trials ({method.label.toLowerCase()}).
      </Caption1>
    );
  return (
    <ul className={styles.bars} aria-label={`Tornado: ${method.label}`} data-testid="tornado">
      {bars.map(({ s, v }) => {
        const width = `${(50 * Math.abs(v)) / longest}%`;
        const text = method.format(v);
        return (
          <li key={s.input} className={styles.bar} aria-label={`${inputName(s)}: ${text}`}>
            <span className={styles.label} title={`${inputName(s)} (${inputCell(s)})`}>
              {inputName(s)}
            </span>
            <span className={styles.track} aria-hidden>
              <span className={styles.axis} />
              <span className={v >= 0 ? styles.positive : styles.negative} style={{ width }} />
            </span>
            <span className={styles.value}>{text}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The tornado, by the method the analyst picks among those the results carry. */
export function SensitivityAnalysis({ rows }: { rows: InputSensitivity[] }) {
  const styles = useSectionStyles();
  const available = Object.entries(METHODS).filter(([, m]) => rows.some((s) => m.value(s) !== undefined));
  const [picked, setPicked] = useState('rank');
  if (rows.length === 0) return null;
  const [key, method] = available.find(([k]) => k === picked) ?? available[0];
  return (
    <section className={styles.section} aria-label="Sensitivity">
      <Subtitle2>Sensitivity</Subtitle2>
      <Picker
        label="Method"
        options={available.map(([k, m]) => ({ key: k, text: m.label }))}
        selected={key}
        onSelect={setPicked}
      />
      <Tornado rows={rows} method={method} />
    </section>
  );
}

/** The output's mean in each decile of its most influential inputs, one line per input. */
export function SpiderPlot({ rows }: { rows: InputSensitivity[] }) {
  const styles = useSectionStyles();
  const lines = rows
    .filter((s) => s.change_in_mean)
    .sort((a, b) => (b.change_in_mean?.spread ?? 0) - (a.change_in_mean?.spread ?? 0))
    .slice(0, SPIDER_LINES);
  if (lines.length === 0) return null;
  const lineChartData = lines.map((s, i) => ({
    legend: inputName(s),
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    // each decile at its middle percentile: 5, 15, …, 95
    data: (s.change_in_mean?.decile_means ?? []).map((y, d) => ({ x: 10 * d + 5, y })),
  }));
  return (
    <section
      className={styles.section}
      aria-label="Spider plot"
      data-testid="spider"
      data-lines={lineChartData.length}
    >
      <Subtitle2>Output mean by input percentile</Subtitle2>
      <LineChart
        data={{ lineChartData }}
        height={CHART_HEIGHT}
        xAxisTitle="Input percentile"
        yAxisTitle="Output mean"
      />
    </section>
  );
}

/** An input against the output, trial by trial, for the inputs the results carry points of. */
export function ScatterPlot({ results, output }: { results: SimulationResults; output: string }) {
  const styles = useSectionStyles();
  const scatter = results.scatter?.[output];
  const [picked, setPicked] = useState<string>();
  if (!scatter || scatter.inputs.length === 0) return null;
  const input = scatter.inputs.find((i) => i.input === picked) ?? scatter.inputs[0];
  const data = input.values.map((x, i) => ({ x, y: scatter.output[i] }));
  const outputName = results.outputs[output]?.name ?? output;
  return (
    <section
      className={styles.section}
      aria-label="Scatter plot"
      data-testid="scatter"
      data-points={data.length}
    >
      <Subtitle2>Scatter</Subtitle2>
      <Picker
        label="Input"
        options={scatter.inputs.map((i) => ({ key: i.input, text: inputName(i) }))}
        selected={input.input}
        onSelect={setPicked}
      />
      <ScatterChart
        data={{ scatterChartData: [{ legend: `${inputName(input)} vs ${outputName}`, data }] }}
        height={CHART_HEIGHT}
        xAxisTitle={inputName(input)}
        yAxisTitle={outputName}
        hideLegend
      />
    </section>
  );
}

const tailLabel = (s: Scenario) => `${s.tail === 'low' ? 'Lowest' : 'Highest'} ${s.percent} % of outcomes`;
const tailKey = (s: Scenario) => `${s.tail}-${s.percent}`;

/** Which inputs stand out when the output is in one of its tails (@RISK's scenario analysis). */
export function ScenarioAnalysis({ scenarios }: { scenarios: Scenario[] | undefined }) {
  const styles = useSectionStyles();
  const [picked, setPicked] = useState<string>();
  if (!scenarios || scenarios.length === 0) return null;
  const scenario =
    scenarios.find((s) => tailKey(s) === picked) ??
    scenarios.find((s) => s.tail === 'high' && s.percent === 10) ??
    scenarios[0];
  return (
    <section className={styles.section} aria-label="Scenarios">
      <Subtitle2>Scenarios</Subtitle2>
      <Picker
        label="When the output is in its"
        options={scenarios.map((s) => ({ key: tailKey(s), text: tailLabel(s) }))}
        selected={tailKey(scenario)}
        onSelect={setPicked}
      />
      {scenario.inputs.length === 0 ? (
        <Caption1>No input stands out in these {scenario.trials.toLocaleString('en-US')} trials.</Caption1>
      ) : (
        <Table size="extra-small" aria-label={`Inputs that stand out: ${tailLabel(scenario)}`}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Input</TableHeaderCell>
              <TableHeaderCell className={styles.number}>Median there</TableHeaderCell>
              <TableHeaderCell className={styles.number}>Shift (sd)</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {scenario.inputs.map((i) => (
              <TableRow key={i.input}>
                <TableCell
                  title={`${inputName(i)} (${inputCell(i)}), overall median ${formatStatistic(i.overall_median)}`}
                >
                  {inputName(i)}
                </TableCell>
                <TableCell className={styles.number}>{formatStatistic(i.median)}</TableCell>
                <TableCell className={styles.number}>{signed(i.shift)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
