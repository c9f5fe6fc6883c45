/**
 * Powers that several cells compute alike, computed once per trial. Models repeat growth and discount
 * factors: (1+inflation)^(year-1) in every cost line of a year, (1+rate)^year in every discounted one.
 * A power costs far more than the rest of such a formula (it is rounded correctly, see numeric/power.ts),
 * so each power written the same way in two places or more becomes a cell of its own, placed before
 * the first cell that uses it, and every use reads that cell. A power is pure arithmetic on the trial's
 * values, so computing it once, even where a use sat in a branch not taken, changes no result.
 */
import { type CellComputation, type Expr, mapChildren, type Program } from './ir';

export function sharePowers(program: Program): Program {
  const uses = new Map<string, { count: number; firstCell: number; expr: Expr }>();
  const count = (e: Expr, cell: number): void => {
    if (isSharable(e)) {
      const key = JSON.stringify(e);
      const use = uses.get(key);
      if (use) use.count++;
      else uses.set(key, { count: 1, firstCell: cell, expr: e });
      return;
    }
    mapChildren(e, (child) => {
      count(child, cell);
      return child;
    });
  };
  program.cells.forEach((c, i) => {
    count(c.expr, i);
  });
  for (const o of program.outputs) count(o.expr, program.cells.length);

  let slotCount = program.slotCount;
  const shared = new Map<string, { slot: number; firstCell: number; expr: Expr }>();
  for (const [key, use] of uses)
    if (use.count >= 2) shared.set(key, { slot: slotCount++, firstCell: use.firstCell, expr: use.expr });
  if (shared.size === 0) return program;

  const rewrite = (e: Expr): Expr => {
    if (isSharable(e)) {
      const s = shared.get(JSON.stringify(e));
      return s ? { op: 'slot', slot: s.slot } : e;
    }
    return mapChildren(e, rewrite);
  };
  const cells: CellComputation[] = [];
  const sharedBefore = (i: number, label: string) => {
    for (const s of shared.values())
      if (s.firstCell === i) cells.push({ slot: s.slot, label: `${label} (shared power)`, expr: s.expr });
  };
  program.cells.forEach((c, i) => {
    sharedBefore(i, c.label);
    cells.push({ ...c, expr: rewrite(c.expr) });
  });
  sharedBefore(program.cells.length, program.outputs[0]?.label ?? 'output');
  const outputs = program.outputs.map((o) => ({ ...o, expr: rewrite(o.expr) }));
  return { ...program, cells, outputs, slotCount };
}

/** A power of plain arithmetic on the trial's values (no power inside: shared powers never nest). */
function isSharable(e: Expr): boolean {
  return e.op === 'pow' && isArithmetic(e.left) && isArithmetic(e.right);
}

function isArithmetic(e: Expr): boolean {
  switch (e.op) {
    case 'num':
    case 'const':
    case 'slot':
    case 'input':
      return true;
    case 'neg':
    case 'pct':
      return isArithmetic(e.arg);
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return isArithmetic(e.left) && isArithmetic(e.right);
    default:
      return false;
  }
}
