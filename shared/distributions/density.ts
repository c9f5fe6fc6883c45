/** The shape of a distribution for a preview: its density, or its probability mass when discrete. */
import type { Distribution } from './distribution';

/** Points of the density (continuous) or probability mass (discrete) for the preview, x ascending. */
export function densityPoints(distribution: Distribution, count = 64): { x: number; y: number }[] {
  const lo = distribution.inverseCdf(0.002);
  const hi = distribution.inverseCdf(0.998);
  if (!(hi > lo)) return [{ x: lo, y: 1 }];
  if (distribution.discrete) {
    const points: { x: number; y: number }[] = [];
    for (let x = lo, guard = 0; x <= hi && guard < 200; guard++) {
      const p = distribution.cdf(x) - distribution.cdf(x - 1e-9 * Math.max(1, Math.abs(x)));
      points.push({ x, y: p });
      x = distribution.inverseCdf(Math.min(1 - 1e-12, distribution.cdf(x) + 1e-12));
      if (points.length > 1 && x <= points[points.length - 1].x) break;
    }
    return points;
  }
  const step = (hi - lo) / count;
  return Array.from({ length: count + 1 }, (_, i) => {
    const x = lo + i * step;
    const y = (distribution.cdf(x + step / 2) - distribution.cdf(x - step / 2)) / step;
    return { x, y: Math.max(0, y) };
  });
}
