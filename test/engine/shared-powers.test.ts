/**
 * A power written alike in several cells is computed once per trial (compile/shared-powers.ts). The
 * results must not change: the same model with the powers written so that they are not shared (POWER
 * instead of ^, which computes the same correctly rounded number) gives every value and error bit for bit.
 */
import { sharePowers } from '../../server/engine/compile/shared-powers';
import { compile, simulate } from '../../server/engine/simulate';
import type { WorkbookModel } from '../../shared/model';

const TRIALS = 20_000;

function model(power: (base: string, exponent: number) => string): WorkbookModel {
  const growth = power('(1+A1)', 3);
  // Overflows (#NUM!) for A1 above about 0.56, so some trials are errors.
  const large = power('(A1*1E103)', 3);
  const cells = {
    A1: { formula: '=RAND()' },
    A2: { formula: '=RiskNormal(0.05, 0.02)' },
    B1: { formula: `=100*${growth}` },
    B2: { formula: `=50*${growth} + ${power('(1+A2)', 10)}` },
    B3: { formula: `=IF(A1>0.3, ${growth}, 0) + 1/${power('(1+A2)', 10)}` },
    B4: { formula: `=IFERROR(${large}, -1)` },
    B5: { formula: `=${large} + B1` },
    // Not shared: a power that can fail by itself (#NUM! below 0.5, #DIV/0! at 0.5), written twice.
    B6: { formula: `=IFERROR(${power('(A1-0.5)', 0.5)} + ${power('(1/(A1-0.5))', 3)}, 0)` },
    B7: { formula: `=IFERROR(${power('(A1-0.5)', 0.5)} + ${power('(1/(A1-0.5))', 3)}, 1)` },
  };
  return { version: 1, sheets: [{ name: 'Sheet1', cells }], names: [] };
}

const targets = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7'];
const caret = model((base, n) => `${base}^${n}`);
const viaPower = model((base, n) => `POWER(${base}, ${n})`);

describe('shared powers', () => {
  it('computes each whole power written alike once, before its first use, under its address', () => {
    const { program } = compile(caret, { targets });
    const sharedCells = program.cells.filter(
      (c, i) => program.cells.findIndex((d) => d.label === c.label) < i,
    );
    expect(sharedCells).toHaveLength(3);
    expect(sharedCells.map((c) => c.label)).toEqual(['Sheet1!B1', 'Sheet1!B2', 'Sheet1!B4']);
    // Each shared cell comes before every cell that reads it.
    program.cells.forEach((cell, i) => {
      const reads = JSON.stringify(cell.expr).match(/"slot":\d+/g) ?? [];
      for (const read of reads) {
        const slot = Number(read.slice(7));
        expect(program.cells.findIndex((c) => c.slot === slot)).toBeLessThan(i);
      }
    });
    // The three shared, and the four that can fail by themselves in B6 and B7.
    expect(JSON.stringify(program).match(/"op":"pow"/g)).toHaveLength(7);
    // POWER is a function call, which this does not touch.
    const separate = compile(viaPower, { targets }).program;
    expect(separate.cells).toHaveLength(program.cells.length - 3);
  });

  it('changes no value and no error, trial by trial', async () => {
    const request = { targets, iterations: TRIALS, seed: 3 };
    const [shared, separate] = await Promise.all([simulate(caret, request), simulate(viaPower, request)]);
    shared.outputs.forEach((output, j) => {
      const other = separate.outputs[j];
      let differences = 0;
      for (let t = 0; t < TRIALS; t++)
        if (!Object.is(output.values[t], other.values[t]) || output.outcomes[t] !== other.outcomes[t])
          differences++;
      expect([output.label, differences]).toEqual([output.label, 0]);
    });
    const errors = shared.outputs[4].outcomes.reduce((n, o) => n + (o === 0 ? 0 : 1), 0);
    expect(errors).toBeGreaterThan(TRIALS / 10);
    expect(errors).toBeLessThan(TRIALS - TRIALS / 10);
  });

  it('leaves a program without repeated powers as it was', () => {
    const { program } = compile(
      model((base, n) => `${base}^${n}`),
      { targets: ['B4'] },
    );
    expect(sharePowers(program)).toBe(program);
  });
});
