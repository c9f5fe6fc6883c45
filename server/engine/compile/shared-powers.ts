/**
 * Powers that several cells compute alike, computed once per trial. Models repeat growth and discount
 * factors: (1+inflation)^(year-1) in every cost line of a year, (1+rate)^year in every discounted one.
 * Such a power costs far more than the rest of its formula (it is rounded correctly, see
 * numeric/power.ts), so each one written the same way in two cells or more becomes a cell of its own,
 * placed before the first cell that uses it, labelled with that cell's address, and every use reads it.
 * A power is pure arithmetic on the trial's values, so computing it once, even where a use sat in a
 * branch not taken, changes no result.
 *
 * Only whole exponents from 3 up, over arithmetic that cannot fail by itself (no division but by a
 * non-zero literal): such a power is an error only where a cell it reads is one, or on overflow. Any
 * other error would surface in a cell of its own, which costs the CPU kernel's fast form a trial in
 * the general form wherever a cell that is not a plain number reads it (backends/cpu/codegen.ts).
 */
import { isWholePowerExponent } from '../numeric/power';
import { type CellComputation, type Expr, mapChildren, type Program } from './ir';

export function sharePowers(program: Program): Program {
  const uses = new Map<string, { count: number; firstCell: number; expr: Expr }>();
  const count = (e: Expr, cell: number): Expr => {
    if (!isSharable(e)) return mapChildren(e, (child) => count(child, cell));
    const key = keyOf(e);
    const use = uses.get(key);
    if (use) use.count++;
    else uses.set(key, { count: 1, firstCell: cell, expr: e });
    return e;
  };
  program.cells.forEach((c, i) => {
    count(c.expr, i);
  });

  let slotCount = program.slotCount;
  const shared = new Map<string, number>();
  const sharedBefore = new Map<number, CellComputation[]>();
  for (const [key, use] of uses) {
    if (use.count < 2) continue;
    const slot = slotCount++;
    shared.set(key, slot);
    const label = program.cells[use.firstCell].label;
    sharedBefore.set(use.firstCell, [
      ...(sharedBefore.get(use.firstCell) ?? []),
      { slot, label, expr: use.expr },
    ]);
  }
  if (shared.size === 0) return program;

  const rewrite = (e: Expr): Expr => {
    if (!isSharable(e)) return mapChildren(e, rewrite);
    const slot = shared.get(keyOf(e));
    return slot === undefined ? e : { op: 'slot', slot };
  };
  const cells = program.cells.flatMap((c, i) => [
    ...(sharedBefore.get(i) ?? []),
    { ...c, expr: rewrite(c.expr) },
  ]);
  return { ...program, cells, slotCount };
}

/** Expressions written alike have the same key (-0 kept apart from 0, which JSON would merge). */
function keyOf(e: Expr): string {
  return JSON.stringify(e, (_, v) => (Object.is(v, -0) ? '-0' : v));
}

function isSharable(e: Expr): boolean {
  return (
    e.op === 'pow' &&
    e.right.op === 'num' &&
    isWholePowerExponent(e.right.value) &&
    cannotFailByItself(e.left)
  );
}

function cannotFailByItself(e: Expr): boolean {
  switch (e.op) {
    case 'num':
    case 'slot':
    case 'input':
      return true;
    case 'neg':
    case 'pct':
      return cannotFailByItself(e.arg);
    case 'add':
    case 'sub':
    case 'mul':
      return cannotFailByItself(e.left) && cannotFailByItself(e.right);
    case 'div':
      return (
        cannotFailByItself(e.left) &&
        e.right.op === 'num' &&
        e.right.value !== 0 &&
        Number.isFinite(e.right.value)
      );
    default:
      return false;
  }
}
