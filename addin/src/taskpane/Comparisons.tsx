/**
 * Comparisons on the Results tab: several outputs' distributions overlaid, and the simulations of a
 * RiskSimtable run side by side. Both read the results as the service returned them; nothing is
 * recomputed here.
 */

import { LineChart } from '@fluentui/react-charts';
import {
  Dropdown,
  Field,
  Option,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useState } from 'react';
import { namedCell, type OutputResults, type SimulationResults } from '../../../shared/model';
import { formatStatistic } from '../state/format';
import { CHART_HEIGHT, SERIES_COLORS, useSectionStyles } from './results-layout';

interface Series {
  legend: string;
  result: OutputResults;
}

/** Cumulative distributions of several outputs (or simulations) on one chart. */
function CdfOverlay({ series, label }: { series: Series[]; label: string }) {
  const lineChartData = series.map((s, i) => ({
    legend: s.legend,
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    data: s.result.cdf.flatMap((p) => (p.x === null ? [] : [{ x: p.x, y: p.p }])),
  }));
  if (lineChartData.every((line) => line.data.length === 0)) return null;
  return (
    <section aria-label={label} data-testid="overlay-chart" data-series={series.length}>
      <LineChart data={{ lineChartData }} height={CHART_HEIGHT} yMinValue={0} yMaxValue={1} />
    </section>
  );
}

/** Overlay: the outputs the user picks (the one shown first), their CDFs on one chart. */
export function OutputOverlay(props: { results: SimulationResults; output: string }) {
  const styles = useSectionStyles();
  const keys = Object.keys(props.results.outputs);
  const [picked, setPicked] = useState<string[]>([]);
  if (keys.length < 2) return null;
  const title = (key: string) => namedCell(key, props.results.outputs[key]?.name);
  const chosen = [props.output, ...picked.filter((k) => k !== props.output && keys.includes(k))];
  return (
    <section className={styles.section} aria-label="Overlay">
      <Subtitle2>Overlay</Subtitle2>
      <Field label="Outputs to overlay">
        <Dropdown
          className={styles.control}
          multiselect
          placeholder="Pick outputs"
          value={chosen.map((k) => props.results.outputs[k]?.name ?? k).join(', ')}
          selectedOptions={chosen}
          onOptionSelect={(_, d) => setPicked(d.selectedOptions)}
        >
          {keys.map((k) => (
            <Option key={k} value={k} text={title(k)} disabled={k === props.output}>
              {title(k)}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {chosen.length > 1 && (
        <CdfOverlay
          label="Overlay of cumulative distributions"
          series={chosen.map((k) => ({
            legend: props.results.outputs[k]?.name ?? k,
            result: props.results.outputs[k],
          }))}
        />
      )}
    </section>
  );
}

const SIDE_BY_SIDE: { label: string; value: (r: OutputResults) => number | null | undefined }[] = [
  { label: 'Mean', value: (r) => r.statistics.mean },
  { label: 'Std dev', value: (r) => r.statistics.std },
  { label: 'P5', value: (r) => r.percentiles['5'] },
  { label: 'P95', value: (r) => r.percentiles['95'] },
];

/** A RiskSimtable run: the output's statistics in each simulation, then their CDFs overlaid. */
export function SimulationsSideBySide(props: { results: SimulationResults; output: string }) {
  const styles = useSectionStyles();
  const simulations = (props.results.simulations ?? []).filter((s) => s.outputs[props.output]);
  if (simulations.length < 2) return null;
  return (
    <section className={styles.section} aria-label="Simulations">
      <Subtitle2>Simulations side by side</Subtitle2>
      <Table size="extra-small" aria-label="Simulations side by side">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Simulation</TableHeaderCell>
            {SIDE_BY_SIDE.map((c) => (
              <TableHeaderCell key={c.label} className={styles.number}>
                {c.label}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {simulations.map((s) => (
            <TableRow key={s.index}>
              <TableCell>{s.index}</TableCell>
              {SIDE_BY_SIDE.map((c) => (
                <TableCell key={c.label} className={styles.number}>
                  {formatStatistic(c.value(s.outputs[props.output]))}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <CdfOverlay
        label="Cumulative distributions by simulation"
        series={simulations.map((s) => ({
          legend: `Simulation ${s.index}`,
          result: s.outputs[props.output],
        }))}
      />
    </section>
  );
}
