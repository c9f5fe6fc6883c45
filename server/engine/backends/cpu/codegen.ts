/**
 * The CPU backend's code generator: a `Program` becomes the source of one JavaScript function that
 * evaluates a range of trials in a loop, each random cell a local variable. The source contains only
 * identifiers made here and numbers serialised here; every text, array or function the model uses is
 * reached through the constant tables passed in (K, F, C, D), never spliced into the code.
 */
import type { Expr, Program } from '../../compile/ir';

const OPERATOR_HELPERS: Record<string, string> = {
  add: 'rt.add',
  sub: 'rt.sub',
  mul: 'rt.mul',
  div: 'rt.div',
  pow: 'rt.pow',
  cat: 'rt.cat',
  eq: 'rt.eq',
  ne: 'rt.ne',
  lt: 'rt.lt',
  le: 'rt.le',
  gt: 'rt.gt',
  ge: 'rt.ge',
  neg: 'rt.neg',
  pct: 'rt.pct',
};

/** A number literal that reads back as exactly the same double. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error('internal: non-finite constant in a kernel');
  if (Object.is(value, -0)) return '(-0)';
  const text = String(value);
  if (Number(text) !== value) throw new Error('internal: number does not round-trip');
  return value < 0 ? `(${text})` : text;
}

function index(i: number): string {
  if (!Number.isSafeInteger(i) || i < 0) throw new Error('internal: bad index in a kernel');
  return String(i);
}

/** Characters of generated code per stage function (well under what V8 still optimises). */
const STAGE_SOURCE_BUDGET = 8_000;

export interface KernelSource {
  source: string;
  /** Library functions called by the kernel, by F index. */
  functions: string[];
}

export function generateKernel(program: Program): KernelSource {
  const functions: string[] = [];
  const functionIndex = new Map<string, number>();
  const fn = (name: string) => {
    let i = functionIndex.get(name);
    if (i === undefined) {
      i = functions.length;
      functions.push(name);
      functionIndex.set(name, i);
    }
    return i;
  };

  /** Where each random cell's value lives: its stage, and whether other stages or the outputs read it. */
  const stageOf = new Map<number, number>();
  const exported = new Set<number>();
  let stage = 0;
  let currentStage = -1;

  const slotRef = (slot: number): string => {
    if (stageOf.get(slot) === currentStage) return `c${index(slot)}`;
    exported.add(slot);
    return `S[${index(slot)}]`;
  };

  const expr = (e: Expr): string => {
    switch (e.op) {
      case 'num':
        return numberLiteral(e.value);
      case 'const':
        return `K[${index(e.index)}]`;
      case 'slot':
        return slotRef(e.slot);
      case 'input': {
        const input = program.inputs[e.input];
        if (input.source.kind !== 'dynamic') return `V[${index(e.input)}]`;
        const params = input.source.params.map(expr).join(', ');
        return `rt.dynamic(${index(e.input)}, [${params}], t)`;
      }
      case 'area': {
        const positions = e.fill.map((f) => index(f.position)).join(', ');
        const values = e.fill.map((f) => slotRef(f.slot)).join(', ');
        return `rt.area(K[${index(e.template)}], [${positions}], [${values}])`;
      }
      case 'neg':
      case 'pct':
        return `${OPERATOR_HELPERS[e.op]}(${expr(e.arg)})`;
      case 'if':
        return `((x = rt.test(${expr(e.cond)})) === 1 ? ${expr(e.whenTrue)} : x === 0 ? ${expr(e.whenFalse)} : rt.err)`;
      case 'iferror':
        return `(rt.isError(y = ${expr(e.value)}) ? rt.blankAsZero(${expr(e.fallback)}) : y)`;
      case 'ifna':
        return `(rt.isNA(y = ${expr(e.value)}) ? rt.blankAsZero(${expr(e.fallback)}) : y)`;
      case 'choose': {
        let chain = 'rt.err';
        for (let i = e.choices.length; i >= 1; i--)
          chain = `x === ${i} ? ${expr(e.choices[i - 1])} : ${chain}`;
        return `((x = rt.chooseIndex(${expr(e.index)}, ${e.choices.length})), ${chain})`;
      }
      case 'let': {
        const bindings = e.bindings.map((b) => `l${index(b.local)} = ${expr(b.value)}`).join(', ');
        return `(${bindings}, ${expr(e.body)})`;
      }
      case 'local':
        return `l${index(e.local)}`;
      case 'call':
        return `rt.call(${index(fn(e.fn))}, [${e.args.map(expr).join(', ')}], ${index(e.context)})`;
      default:
        return `${OPERATOR_HELPERS[e.op]}(${expr(e.left)}, ${expr(e.right)})`;
    }
  };

  // Cells are split into stage functions small enough for V8's optimising compiler, which skips very
  // large functions: inside a stage, cells are locals; values crossing stages go through S.
  const stages: { slots: number[]; body: string[] }[] = [];
  let size = STAGE_SOURCE_BUDGET;
  for (const cell of program.cells) {
    if (size >= STAGE_SOURCE_BUDGET) {
      stages.push({ slots: [], body: [] });
      stage = stages.length - 1;
      size = 0;
    }
    stageOf.set(cell.slot, stage);
    currentStage = stage;
    const line = `    c${index(cell.slot)} = ${expr(cell.expr)};`;
    stages[stage].slots.push(cell.slot);
    stages[stage].body.push(line);
    size += line.length;
  }
  currentStage = -1;
  const outputLines = program.outputs.map((output, j) => [
    `    x = ${expr(output.expr)};`,
    `    if (typeof x === 'number') O${j}[i] = x; else { O${j}[i] = NaN; E${j}[i] = rt.errorCode(x); }`,
  ]);

  // Input draws are split into functions by the same budget: a model can have thousands of inputs.
  const correlated = new Set(program.correlations.flatMap((g) => g.inputs));
  const draws: string[][] = [];
  let drawSize = STAGE_SOURCE_BUDGET;
  program.inputs.forEach((input, k) => {
    if (input.source.kind === 'dynamic') return;
    // Correlated inputs arrive already sampled and reordered; the others as uniforms.
    const direct = input.source.kind === 'uniform' || correlated.has(k);
    const draw = direct ? `U[${k}][t - first]` : `D[${k}].inverseCdf(U[${k}][t - first])`;
    const lines = [`    V[${k}] = ${draw};`, `    if (t < recordLimit) R[${k}][i] = V[${k}];`];
    if (drawSize >= STAGE_SOURCE_BUDGET) {
      draws.push([]);
      drawSize = 0;
    }
    draws[draws.length - 1].push(...lines);
    drawSize += lines[0].length + lines[1].length;
  });

  const lines: string[] = [];
  lines.push('"use strict";');
  lines.push(`const S = new Array(${index(program.slotCount)}).fill(null);`);
  lines.push(`const V = new Float64Array(${index(program.inputs.length)});`);
  lines.push('let U, R, first, recordLimit;');
  draws.forEach((body, n) => {
    lines.push(`function draw${n}(t, i) {`);
    lines.push(...body);
    lines.push('}');
  });
  const locals = Array.from({ length: program.localCount }, (_, i) => `l${i}`);
  stages.forEach((st, n) => {
    lines.push(`function stage${n}(t) {`);
    lines.push(`  let ${['x', 'y', ...st.slots.map((slot) => `c${slot}`), ...locals].join(', ')};`);
    lines.push(...st.body);
    for (const slot of st.slots) if (exported.has(slot)) lines.push(`    S[${slot}] = c${slot};`);
    lines.push('}');
  });
  lines.push('return function kernel(start, end, offset, O, E, records, limit, uniforms) {');
  lines.push('  U = uniforms; R = records; first = start; recordLimit = limit;');
  lines.push('  let x;');
  program.outputs.forEach((_, j) => {
    lines.push(`  const O${j} = O[${j}], E${j} = E[${j}];`);
  });
  lines.push('  for (let t = start; t < end; t++) {');
  lines.push('    const i = t - start + offset;');
  draws.forEach((_, n) => {
    lines.push(`    draw${n}(t, i);`);
  });
  stages.forEach((_, n) => {
    lines.push(`    stage${n}(t);`);
  });
  for (const pair of outputLines) lines.push(...pair);
  lines.push('  }');
  lines.push('};');
  return { source: lines.join('\n'), functions };
}
