/** A small density (or probability mass) sketch of the distribution being defined. */
import { tokens } from '@fluentui/react-components';
import { densityPoints } from '../../../shared/distributions/density';
import type { Distribution } from '../../../shared/distributions/distribution';
import { formatStatistic } from '../state/format';

const WIDTH = 260;
const HEIGHT = 72;

export function DensityPreview({ distribution }: { distribution: Distribution }) {
  const points = densityPoints(distribution);
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const top = Math.max(...points.map((p) => p.y)) || 1;
  const sx = (x: number) => (hi > lo ? ((x - lo) / (hi - lo)) * (WIDTH - 8) + 4 : WIDTH / 2);
  const sy = (y: number) => HEIGHT - 14 - (y / top) * (HEIGHT - 20);
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
      <text x={2} y={HEIGHT - 2} fontSize={10} fill={tokens.colorNeutralForeground2}>
        {formatStatistic(lo)}
      </text>
      <text x={WIDTH - 2} y={HEIGHT - 2} fontSize={10} textAnchor="end" fill={tokens.colorNeutralForeground2}>
        {formatStatistic(hi)}
      </text>
    </svg>
  );
}
