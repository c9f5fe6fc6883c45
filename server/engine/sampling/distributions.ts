/**
 * The backends build their inputs' distributions from here; the catalogue itself is shared/distributions/
 * (the task pane builds the same distributions). Kept until backends/ imports shared/ directly (issue 14).
 */
export {
  createDistribution,
  type Distribution,
  type DistributionSpec,
  type DistributionType,
} from '../../../shared/distributions/distribution';
