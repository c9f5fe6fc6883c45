/**
 * Mergeable running mean / variance / extremes (Welford's update, Chan et al.'s merge), for
 * progress reporting while chunks of a run complete in any order on any worker.
 */

export interface MomentsState {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
  min: number;
  max: number;
}

export function emptyMoments(): MomentsState {
  return { count: 0, mean: 0, m2: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
}

/** Adds values[start, end) to state (in place) and returns it. */
export function addSamples(
  state: MomentsState,
  values: ArrayLike<number>,
  start = 0,
  end = values.length,
): MomentsState {
  let { count, mean, m2, min, max } = state;
  for (let i = start; i < end; i++) {
    const x = values[i];
    count++;
    const delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  Object.assign(state, { count, mean, m2, min, max });
  return state;
}

/** The moments of the union of two disjoint sample sets (Chan, Golub & LeVeque). */
export function mergeMoments(a: MomentsState, b: MomentsState): MomentsState {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/** Sample variance (n - 1 denominator); null below two samples. */
export function momentsVariance(state: MomentsState): number | null {
  return state.count > 1 ? state.m2 / (state.count - 1) : null;
}

/** Sample standard deviation; null below two samples. */
export function momentsStd(state: MomentsState): number | null {
  const v = momentsVariance(state);
  return v === null ? null : Math.sqrt(v);
}
