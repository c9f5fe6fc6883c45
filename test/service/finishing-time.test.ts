/** The service's model of the time from a run's last trial to its results (server/progress/finishing-time). */
import {
  expectedFinishingMs,
  type FinishingModel,
  learnedFrom,
  PRIOR_FINISHING,
} from '../../server/progress/finishing-time';

test('a run that took what the model expected leaves it as it was', () => {
  const model = { fixedMs: 100, nsPerValue: 40 };
  for (const values of [10_000, 5_000_000])
    expect(learnedFrom(model, values, expectedFinishingMs(model, values))).toEqual({
      fixedMs: expect.closeTo(100, 0) as number,
      nsPerValue: expect.closeTo(40, 1) as number,
    });
});

test('small runs teach the fixed part, large runs the part per value, and both converge on the machine', () => {
  // a machine twice as slow as the prior's, with a fixed part of 400 ms
  const truth: FinishingModel = { fixedMs: 400, nsPerValue: 2 * PRIOR_FINISHING.nsPerValue };
  let model = PRIOR_FINISHING;
  const small = learnedFrom(model, 30_000, expectedFinishingMs(truth, 30_000));
  expect(small.nsPerValue).toBe(model.nsPerValue);
  expect(small.fixedMs).toBeGreaterThan(model.fixedMs);
  const large = learnedFrom(model, 12_000_000, expectedFinishingMs(truth, 12_000_000));
  expect(large.fixedMs).toBe(model.fixedMs);
  expect(large.nsPerValue).toBeGreaterThan(model.nsPerValue);
  for (let k = 0; k < 20; k++)
    for (const values of [30_000, 12_000_000])
      model = learnedFrom(model, values, expectedFinishingMs(truth, values));
  for (const values of [50_000, 2_000_000, 20_000_000])
    expect(expectedFinishingMs(model, values) / expectedFinishingMs(truth, values)).toBeCloseTo(1, 1);
});

test('a run faster than the fixed part never makes either part negative', () => {
  const model = learnedFrom(learnedFrom(PRIOR_FINISHING, 2_000_000, 0), 1_000, 0);
  expect(model.fixedMs).toBeGreaterThanOrEqual(0);
  expect(model.nsPerValue).toBeGreaterThanOrEqual(0);
});
