import type { FunctionContext, FunctionDefinition } from '../../server/engine/functions/types';
import { Errors, Matrix, type Reference, type Scalar, type Value } from '../../server/engine/values/value';
import { parseCellAddress } from '../../shared/formula/references';

/**
 * A FunctionContext over a tiny in-memory grid, for unit tests of single functions.
 * `cells` maps "Sheet1!A1"-style keys (sheet, row, col) to scalars.
 */
export function testContext(
  cells: Record<string, Scalar> = {},
  random: () => number = Math.random,
): FunctionContext {
  const key = (sheet: string, row: number, col: number) => `${sheet}!${row},${col}`;
  const grid = new Map<string, Scalar>();
  for (const [k, v] of Object.entries(cells)) {
    const bang = k.lastIndexOf('!');
    const { row, col } = parseCellAddress(k.slice(bang + 1));
    grid.set(key(bang < 0 ? 'Sheet1' : k.slice(0, bang), row, col), v);
  }
  return {
    caller: { sheet: 'Sheet1', row: 1, col: 1 },
    sheetNames: ['Sheet1'],
    values(ref: Reference): Matrix {
      const data: Scalar[] = [];
      for (let r = ref.top; r <= ref.bottom; r++)
        for (let c = ref.left; c <= ref.right; c++) data.push(grid.get(key(ref.sheet, r, c)) ?? null);
      return new Matrix(ref.rows, ref.cols, data, true);
    },
    formulaText: () => undefined,
    random,
    now: () => 45000.5,
  };
}

/**
 * Calls a function the way the evaluator does for simple cases: scalar parameters given as matrices are
 * lifted element by element. Use it in tests to call a definition with already evaluated arguments.
 */
export function call(
  def: FunctionDefinition | undefined,
  args: Value[],
  ctx: FunctionContext = testContext(),
): Value {
  if (!def) throw new Error('function not defined');
  if (args.length < def.minArgs || args.length > def.maxArgs) return Errors.VALUE;
  return def.impl(args, ctx);
}

export const m = (rows: Scalar[][]) => Matrix.of(rows);
export const range = (rows: Scalar[][]) => Matrix.of(rows, true);
