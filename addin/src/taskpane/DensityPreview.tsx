/** A small density (or probability mass) sketch of the distribution being defined. */
import { tokens } from '@fluentui/react-components';
import { densityPoints } from '../../../shared/distributions/density';
import type { Distribution } from '../../../shared/distributions/distribution';
import { formatStatistic } from '../state/format';

const WIDTH = 260;

/** A chart's x range written under its two ends. */
export function AxisEnds(props: { low: number; high: number; width: number; height: number }) {
  const text = { y: props.height - 2, fontSize: 10, fill: tokens.colorNeutralForeground2 };
  return (
    <>
      <text x={2} {...text}>
        {formatStatistic(props.low)}
      </text>
      <text x={props.width - 2} textAnchor="end" {...text}>
        {formatStatistic(props.high)}
      </text>
    </>
  );
}

const FULL_HEIGHT = 72;
/** A list row's sketch: the shape only, the range being written beside it. */
const COMPACT_HEIGHT = 40;

export function DensityPreview({
  distribution,
  compact = false,
}: {
  distribution: Distribution;
  compact?: boolean;
}) {
  const HEIGHT = compact ? COMPACT_HEIGHT : FULL_HEIGHT;
  const LABELS = compact ? 6 : 14;
  const points = densityPoints(distribution);
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const top = Math.max(...points.map((p) => p.y)) || 1;
  const sx = (x: number) => (hi > lo ? ((x - lo) / (hi - lo)) * (WIDTH - 8) + 4 : WIDTH / 2);
  const sy = (y: number) => HEIGHT - LABELS - (y / top) * (HEIGHT - LABELS - 6);
  const stroke = tokens.colorBrandForeground1;
  return (
    <svg
      role="img"
      aria-label={`Density preview, mean ${formatStatistic(distribution.mean)}`}
      width="100%"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      data-testid="density-preview"
    >
      {distribution.discrete ? (
        points.map((p) => (
          <line key={p.x} x1={sx(p.x)} x2={sx(p.x)} y1={sy(0)} y2={sy(p.y)} stroke={stroke} strokeWidth={3} />
        ))
      ) : (
        <polyline
          fill="none"
          stroke={stroke}
          strokeWidth={2}
          points={points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}
        />
      )}
      <line x1={0} x2={WIDTH} y1={sy(0)} y2={sy(0)} stroke={tokens.colorNeutralStroke1} />
      {!compact && <AxisEnds low={lo} high={hi} width={WIDTH} height={HEIGHT} />}
    </svg>
  );
}
