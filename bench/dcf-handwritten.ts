/**
 * Model (a), the ten-year project DCF, written by hand as a plain JavaScript loop: the speed limit of
 * this runtime for that model. It draws the same inputs as the engine (same Philox streams, same inverse
 * CDFs), so for the same seed its NPV and IRR agree with Montecell's to rounding.
 */
import { internalRate } from '../server/engine/functions/financial-cashflow';
import { uniform } from '../server/engine/sampling/philox';
import { createDistribution, type Distribution } from '../shared/distributions/distribution';
import { DCF_ASSUMPTIONS, DCF_DRIVERS, DCF_YEARS, dcfModel } from './models';

export interface DcfResults {
  npv: Float64Array;
  irr: Float64Array;
}

/** The drivers' distributions, in DCF_DRIVERS order. */
function driverDistributions(): Distribution[] {
  return dcfModel().inputs.map((input) => {
    const d = createDistribution(input.spec, { manyDraws: true });
    if ('error' in d) throw new Error(d.error);
    return d;
  });
}

const TOLERANCE = 1e-8;

/** IRR by Newton's method from 10 % (as Excel); the engine's solver where Newton does not settle; NaN for none. */
function irr(flows: Float64Array, count: number): number {
  let rate = 0.1;
  for (let iteration = 0; iteration < 50; iteration++) {
    const factor = 1 / (1 + rate);
    let discount = factor;
    let npv = 0;
    let slope = 0;
    // Excel's IRR discounts the first flow by one period too; NPV = 0 has the same roots either way.
    for (let i = 0; i < count; i++) {
      npv += flows[i] * discount;
      slope -= (i + 1) * flows[i] * discount * factor;
      discount *= factor;
    }
    const next = rate - npv / slope;
    if (!Number.isFinite(next)) break;
    if (Math.abs(next - rate) < TOLERANCE * Math.max(1, Math.abs(rate))) {
      if (next > -1) return next;
      break;
    }
    rate = next;
  }
  const fallback = internalRate(Array.from(flows.subarray(0, count)), 0.1);
  return typeof fallback === 'number' ? fallback : Number.NaN;
}

/**
 * NPV and project IRR of trials [start, end) for `seed`; `streams[k]` is the engine's random stream of
 * driver k (so both draw the same numbers). Results go to out[t - start].
 */
export function runHandWrittenDcf(
  seed: number,
  streams: readonly number[],
  start: number,
  end: number,
  out: DcfResults,
): void {
  if (streams.length !== DCF_DRIVERS.length) throw new Error('one stream per DCF driver expected');
  const dist = driverDistributions();
  const draw = (k: number, t: number) => dist[k].inverseCdf(uniform(seed, streams[k], t));
  const { depreciationLife: life, maxShare, daysPerYear: days, terminalGrowth: growth } = DCF_ASSUMPTIONS;
  const years = DCF_YEARS;
  const capex = new Float64Array(years + 1);
  const cash = new Float64Array(years + 1);

  for (let t = start; t < end; t++) {
    const marketSize0 = draw(0, t);
    const marketGrowth = draw(1, t);
    const shareStart = draw(2, t);
    const shareGain = draw(3, t);
    const priceA0 = draw(4, t);
    const priceErosion = draw(5, t);
    const volumeB = draw(6, t);
    const growthB = draw(7, t);
    const priceB0 = draw(8, t);
    const attachRate = draw(9, t);
    const servicePrice = draw(10, t);
    const materialCost0 = draw(11, t);
    const materialInflation = draw(12, t);
    const laborCost0 = draw(13, t);
    const wageInflation = draw(14, t);
    const fixedOverhead = draw(15, t);
    const sgaRate = draw(16, t);
    const rnd0 = draw(17, t);
    const initialCapex = draw(18, t);
    const maintenanceRate = draw(19, t);
    const receivableDays = draw(20, t);
    const inventoryDays = draw(21, t);
    const payableDays = draw(22, t);
    const taxRate = draw(23, t);
    const discountRate = draw(24, t);

    capex[0] = initialCapex;
    cash[0] = -initialCapex - 0;
    let npv = cash[0];
    let marketSize = 0;
    let priceA = 0;
    let unitsB = 0;
    let priceB = 0;
    let materialUnitCost = 0;
    let laborUnitCost = 0;
    let rnd = 0;
    let workingCapital = 0;
    let discountFactor = 1;
    for (let y = 1; y <= years; y++) {
      const first = y === 1;
      marketSize = first ? marketSize0 : marketSize * (1 + marketGrowth);
      const share = Math.min(shareStart + shareGain * (y - 1), maxShare);
      const unitsA = marketSize * share;
      priceA = first ? priceA0 : priceA * (1 - priceErosion);
      unitsB = first ? volumeB : unitsB * (1 + growthB);
      priceB = first ? priceB0 : priceB * (1 - priceErosion / 2);
      const units = unitsA + unitsB;
      const serviceRevenue = units * attachRate * servicePrice * (1 + wageInflation) ** (y - 1);
      const revenue = unitsA * priceA + unitsB * priceB + serviceRevenue;

      materialUnitCost = first ? materialCost0 : materialUnitCost * (1 + materialInflation);
      laborUnitCost = first ? laborCost0 : laborUnitCost * (1 + wageInflation);
      const cogs = units * materialUnitCost + units * laborUnitCost;
      rnd = first ? rnd0 : rnd * (1 + wageInflation);
      const opex = fixedOverhead * (1 + wageInflation) ** (y - 1) + revenue * sgaRate + rnd;
      const ebitda = revenue - cogs - opex;

      capex[y] = revenue * maintenanceRate;
      let maintenance = 0;
      for (let v = Math.max(1, y - life + 1); v <= y; v++) maintenance += capex[v];
      const depreciation = (y <= life ? capex[0] / life : 0) + maintenance / life;
      const ebit = ebitda - depreciation;

      const nextWorkingCapital =
        (revenue * receivableDays) / days + (cogs * inventoryDays) / days - (cogs * payableDays) / days;
      const workingCapitalChange = nextWorkingCapital - workingCapital;
      workingCapital = nextWorkingCapital;

      cash[y] = ebitda - Math.max(0, ebit * taxRate) - capex[y] - workingCapitalChange;
      discountFactor = 1 / (1 + discountRate) ** y;
      npv += cash[y] * discountFactor;
    }
    const terminal = ((cash[years] * (1 + growth)) / (discountRate - growth)) * discountFactor;
    out.npv[t - start] = npv + terminal;
    out.irr[t - start] = irr(cash, years + 1);
  }
}
