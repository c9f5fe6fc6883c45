/**
 * Live mode's switch and its histogram: each edit of the workbook redraws the output's distribution
 * from a small run, in place. A plain SVG, no animation: a redraw must be as quick as the run.
 */
import {
  Caption1,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Subtitle2,
  Switch,
  tokens,
} from '@fluentui/react-components';
import type { OutputResults } from '../../../shared/model';
import { formatCount, formatStatistic } from '../state/format';
import { AxisEnds } from './DensityPreview';
import { LIVE_TRIALS, type LiveDraw, type LiveStatus } from './use-live-mode';

const WIDTH = 300;
const HEIGHT = 110;
const AXIS = 14;

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
  status: { minHeight: '20px', display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

export interface LivePanelProps {
  enabled: boolean;
  onToggle: (enabled: boolean) => void;
  status: LiveStatus;
  error?: string;
  drawn?: LiveDraw;
  /** The output's name (RiskOutput name or row label), by cell. */
  outputName: (cell: string) => string | undefined;
}

export function LivePanel(props: LivePanelProps) {
  const styles = useStyles();
  const { drawn } = props;
  const name = drawn ? props.outputName(drawn.output) : undefined;
  return (
    <section className={styles.panel} aria-label="Live mode">
      <div className={styles.header}>
        <Subtitle2>Live mode</Subtitle2>
        <Switch label="Live" checked={props.enabled} onChange={(_, data) => props.onToggle(data.checked)} />
      </div>
      {!props.enabled && (
        <Caption1>Re-run {formatCount(LIVE_TRIALS)} trials and redraw the histogram on every edit.</Caption1>
      )}
      {props.enabled && (
        <div className={styles.status}>
          {props.status === 'running' && <Spinner size="extra-tiny" aria-label="Live run" />}
          <Caption1 data-testid="live-status">
            {props.status === 'running'
              ? 'Running…'
              : drawn
                ? `${formatCount(LIVE_TRIALS)} trials · updated ${Math.round(drawn.latencyMs)} ms after the change`
                : 'Waiting for the first run…'}
          </Caption1>
        </div>
      )}
      {props.enabled && props.error && (
        <MessageBar intent="error">
          <MessageBarBody>{props.error}</MessageBarBody>
        </MessageBar>
      )}
      {props.enabled && drawn && (
        <LiveHistogram
          result={drawn.result}
          label={name ? `${name} (${drawn.output})` : drawn.output}
          generation={drawn.generation}
        />
      )}
    </section>
  );
}

function LiveHistogram({
  result,
  label,
  generation,
}: {
  result: OutputResults;
  label: string;
  generation: number;
}) {
  const { edges, counts } = result.histogram;
  const mean = result.statistics.mean;
  const bins = counts.flatMap((count, i) => {
    const lo = edges[i];
    const hi = edges[i + 1];
    return lo === null || hi === null || lo === undefined || hi === undefined ? [] : [{ lo, hi, count }];
  });
  const first = bins[0]?.lo ?? 0;
  const last = bins[bins.length - 1]?.hi ?? 1;
  const top = Math.max(1, ...bins.map((b) => b.count));
  const sx = (x: number) => (last > first ? ((x - first) / (last - first)) * (WIDTH - 4) + 2 : WIDTH / 2);
  const sy = (count: number) => HEIGHT - AXIS - (count / top) * (HEIGHT - AXIS - 4);
  return (
    <figure
      style={{ margin: 0 }}
      data-testid="live-histogram"
      data-generation={generation}
      data-mean={mean ?? ''}
    >
      <Caption1 as="p" style={{ margin: 0 }}>
        {label}: mean {formatStatistic(mean)}
      </Caption1>
      <svg
        role="img"
        aria-label={`Live histogram of ${label}`}
        width="100%"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      >
        {bins.map((b) => (
          <rect
            key={b.lo}
            x={sx(b.lo)}
            width={Math.max(0.5, sx(b.hi) - sx(b.lo) - 0.5)}
            y={sy(b.count)}
            height={HEIGHT - AXIS - sy(b.count)}
            fill={tokens.colorBrandBackground}
          />
        ))}
        {mean !== null && (
          <line
            x1={sx(mean)}
            x2={sx(mean)}
            y1={2}
            y2={HEIGHT - AXIS}
            stroke={tokens.colorNeutralForeground1}
            strokeDasharray="3 2"
          />
        )}
        <line x1={0} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} stroke={tokens.colorNeutralStroke1} />
        <AxisEnds low={first} high={last} width={WIDTH} height={HEIGHT} />
      </svg>
    </figure>
  );
}
