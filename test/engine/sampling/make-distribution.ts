/** A distribution from a spec known to be valid, for the sampling tests. */
import {
  createDistribution,
  type Distribution,
  type DistributionSpec,
} from '../../../shared/distributions/distribution';

export function makeDistribution(spec: DistributionSpec): Distribution {
  const d = createDistribution(spec);
  if ('error' in d) throw new Error(d.error);
  return d;
}
