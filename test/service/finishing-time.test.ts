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

test('one run moves the model at most a little: a finish slowed 100× by a busy moment', () => {
  const model = { fixedMs: 100, nsPerValue: 40 };
  const expected = expectedFinishingMs(model, 5_000_000); // 300 ms
  const after = learnedFrom(model, 5_000_000, 100 * expected);
  // taken as 4× the expected at most, with the newest run's weight of 30 %
  expect(expectedFinishingMs(after, 5_000_000)).toBeLessThanOrEqual(Math.round(expected * (0.7 + 0.3 * 4)));
  expect(expectedFinishingMs(after, 5_000_000)).toBeGreaterThan(expected);
});

test('each simulation of a run (RiskSimtable) is assembled on its own: a fixed part each', () => {
  const model = { fixedMs: 100, nsPerValue: 40 };
  expect(expectedFinishingMs(model, 3_000_000, 3)).toBe(3 * 100 + 120);
  // three simulations that took what the model says leave it as it was
  const after = learnedFrom(model, 30_000, expectedFinishingMs(model, 30_000, 3), 3);
  expect(after.fixedMs).toBeCloseTo(100, 0);
  expect(after.nsPerValue).toBe(40);
});
