/**
 * The CPU backend's code generator: a `Program` becomes the source of one JavaScript function that
 * evaluates a range of trials in a loop, each random cell a local variable. The source contains only
 * identifiers made here and numbers serialised here; every text, array or function the model uses is
 * reached through the constant tables passed in (K, D), never spliced into the code.
 *
 * Each trial runs in two forms. The fast form computes the cells that are numbers in every trial
 * (numeric-typing.ts) with plain JavaScript arithmetic and the rest with Excel's general operators; when
 * it meets an error where the kind of error matters (an output, a general-form cell reading a numeric
 * one), it throws BAIL and the trial is recomputed in the general form, which is exact everywhere.
 */
import type { Expr, Program } from '../../compile/ir';
import { isWholePowerExponent } from '../../numeric/power';
import { NumericTyping, type RangeItem } from './numeric-typing';

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

const FAST_ARITHMETIC: Record<string, string> = { add: '+', sub: '-', mul: '*' };
const FAST_COMPARISONS: Record<string, string> = {
  eq: 'rt.feq',
  ne: 'rt.fne',
  lt: 'rt.flt',
  le: 'rt.fle',
  gt: 'rt.fgt',
  ge: 'rt.fge',
};
const FAST_ROUNDING: Record<string, string> = {
  ROUND: 'rt.fround',
  ROUNDUP: 'rt.froundup',
  ROUNDDOWN: 'rt.frounddown',
};
const FAST_UNARY: Record<string, string> = { ABS: 'rt.fabs', SQRT: 'rt.fsqrt', EXP: 'rt.fexp', LN: 'rt.fln' };

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

/**
 * Splits cells into stage functions small enough for V8's optimising compiler, which skips very large
 * functions: inside a stage cells are locals; values crossing stages go through S (any value) or, in the
 * fast form, N (a Float64Array for numeric cells, so storing them allocates nothing).
 */
class StageWriter {
  private readonly stageOf = new Map<number, number>();
  private readonly exported = new Set<number>();
  private readonly stages: { slots: number[]; body: string[]; temporaries: number }[] = [];
  private current = -1;
  private size = STAGE_SOURCE_BUDGET;
  private temporaryCount = 0;

  constructor(
    private readonly name: string,
    private readonly crossStage: (slot: number) => string,
  ) {}

  /** How `slot` is read from the cell being written (or from the outputs, after `finish`). */
  ref(slot: number): string {
    if (this.stageOf.get(slot) === this.current) return `c${index(slot)}`;
    this.exported.add(slot);
    return this.crossStage(slot);
  }

  /** A scratch variable of the current stage. */
  temporary(): string {
    return `q${this.temporaryCount++}`;
  }

  add(slot: number, expression: () => string): void {
    if (this.size >= STAGE_SOURCE_BUDGET) {
      this.stages.push({ slots: [], body: [], temporaries: 0 });
      this.size = 0;
      this.temporaryCount = 0;
    }
    this.current = this.stages.length - 1;
    this.stageOf.set(slot, this.current);
    const stage = this.stages[this.current];
    const line = `    c${index(slot)} = ${expression()};`;
    stage.slots.push(slot);
    stage.body.push(line);
    stage.temporaries = Math.max(stage.temporaries, this.temporaryCount);
    this.size += line.length;
  }

  /** Ends the cells: later references (outputs) read exported values, with temporaries of their own. */
  finish(): void {
    this.current = -1;
    this.temporaryCount = 0;
  }

  /** The temporaries used since `finish`, to declare where the outputs are computed. */
  outputTemporaries(): string[] {
    return Array.from({ length: this.temporaryCount }, (_, i) => `q${i}`);
  }

  /** The calls of the stage functions, in order, for a trial function's body. */
  calls(): string[] {
    return this.stages.map((_, n) => `  ${this.name}${n}(t);`);
  }

  functions(locals: string[]): string[] {
    const lines: string[] = [];
    this.stages.forEach((st, n) => {
      const temporaries = Array.from({ length: st.temporaries }, (_, i) => `q${i}`);
      lines.push(`function ${this.name}${n}(t) {`);
      lines.push(
        `  let ${['x', 'y', ...temporaries, ...st.slots.map((slot) => `c${slot}`), ...locals].join(', ')};`,
      );
      for (const item of st.body) lines.push(item);
      for (const slot of st.slots)
        if (this.exported.has(slot)) lines.push(`    ${this.crossStage(slot)} = c${slot};`);
      lines.push('}');
    });
    return lines;
  }
}

export interface KernelOptions {
  /** Off: every trial in the general form only (the reference the fast form is tested against). */
  fastForm?: boolean;
}

export function generateKernel(program: Program, options: KernelOptions = {}): KernelSource {
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
  const typing = new NumericTyping(program);

  /** Excel's general operators on any value; `slot` says how a random cell is read. */
  const general = (e: Expr, slot: (slot: number) => string): string => {
    const expr = (x: Expr) => general(x, slot);
    switch (e.op) {
      case 'num':
        return numberLiteral(e.value);
      case 'const':
        return `K[${index(e.index)}]`;
      case 'slot':
        return slot(e.slot);
      case 'input': {
        const input = program.inputs[e.input];
        if (input.source.kind !== 'dynamic') return `V[${index(e.input)}]`;
        const params = input.source.params.map(expr).join(', ');
        return `rt.dynamic(${index(e.input)}, [${params}], t)`;
      }
      case 'area': {
        const positions = e.fill.map((f) => index(f.position)).join(', ');
        const values = e.fill.map((f) => slot(f.slot)).join(', ');
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

  // The general form: every cell through Excel's operators.
  const slow = new StageWriter('stage', (slot) => `S[${index(slot)}]`);
  for (const cell of program.cells) slow.add(cell.slot, () => general(cell.expr, (s) => slow.ref(s)));
  slow.finish();
  const slowOutputs = program.outputs.map((output, j) => [
    `    x = ${general(output.expr, (s) => slow.ref(s))};`,
    `    if (typeof x === 'number') O${j}[i] = x; else { O${j}[i] = NaN; E${j}[i] = rt.errorCode(x); }`,
  ]);

  // The fast form: numeric cells as doubles, the others through the general operators, which may only
  // see a numeric cell once it is known to be a number (rt.chk throws BAIL on an error).
  const fast = new StageWriter('fast', (slot) =>
    typing.isNumericSlot(slot) ? `N[${index(slot)}]` : `S[${index(slot)}]`,
  );
  const checkedRef = (slot: number) =>
    typing.isNumericSlot(slot) ? `rt.chk(${fast.ref(slot)})` : fast.ref(slot);
  /** Per-trial arrays of cash flows for NPV and IRR calls, filled in place. */
  const flowArrays: number[] = [];

  const numeric = (e: Expr): string => {
    switch (e.op) {
      case 'num':
        return numberLiteral(e.value);
      case 'const':
        return numberLiteral(program.constants[e.index] as number);
      case 'slot':
        return fast.ref(e.slot);
      case 'input':
        return `V[${index(e.input)}]`;
      case 'neg':
        // 0 - x, not -x: Excel has no negative zero.
        return `(0 - ${numeric(e.arg)})`;
      case 'pct':
        return `(${numeric(e.arg)} / 100)`;
      case 'add':
      case 'sub':
      case 'mul':
        // Non-finite operands stay non-finite through +, - and *.
        return `(${numeric(e.left)} ${FAST_ARITHMETIC[e.op]} ${numeric(e.right)})`;
      case 'div': {
        // Dividing by a finite non-zero literal needs no check: an error (non-finite) stays one.
        const divisor = literalNumber(e.right);
        if (divisor !== undefined && divisor !== 0 && Number.isFinite(divisor))
          return `(${numeric(e.left)} / ${numberLiteral(divisor)})`;
        return `rt.fdiv(${numeric(e.left)}, ${numeric(e.right)})`;
      }
      case 'pow': {
        const exponent = literalNumber(e.right);
        // x^0, x^1 and x^2 are exactly 1, x and x·x (as ** computes them), without the general power.
        if (exponent === 0 || exponent === 1 || exponent === 2)
          return `rt.fpow${exponent}(${numeric(e.left)})`;
        if (exponent !== undefined && isWholePowerExponent(exponent))
          return `rt.fpowWhole(${numeric(e.left)}, ${exponent})`;
        return `rt.fpow(${numeric(e.left)}, ${numeric(e.right)})`;
      }
      case 'if':
        return `((x = ${condition(e.cond)}) === 1 ? ${numeric(e.whenTrue)} : x === 0 ? ${numeric(e.whenFalse)} : NaN)`;
      case 'iferror': {
        const t = fast.temporary();
        return `((${t} = ${numeric(e.value)}) - ${t} === 0 ? ${t} : ${numeric(e.fallback)})`;
      }
      case 'choose': {
        let chain = 'NaN';
        for (let i = e.choices.length; i >= 1; i--)
          chain = `x === ${i} ? ${numeric(e.choices[i - 1])} : ${chain}`;
        return `((x = rt.fchoose(${numeric(e.index)}, ${e.choices.length})), ${chain})`;
      }
      case 'call':
        return numericCall(e.fn, e.args);
      default:
        throw new Error(`internal: ${e.op} is not numeric`);
    }
  };

  const literalNumber = (e: Expr): number | undefined => {
    if (e.op === 'num') return e.value;
    if (e.op === 'const' && typeof program.constants[e.index] === 'number')
      return program.constants[e.index] as number;
    return undefined;
  };

  /** 1 (TRUE), 0 (FALSE) or -1 (an error). */
  const condition = (e: Expr): string => {
    if (e.op in FAST_COMPARISONS && 'left' in e)
      return `${FAST_COMPARISONS[e.op]}(${numeric(e.left)}, ${numeric(e.right)})`;
    const constant = typing.constantCondition(e);
    if (constant !== undefined) return constant ? '1' : '0';
    return `rt.ftruth(${numeric(e)})`;
  };

  const item = (it: RangeItem) => ('slot' in it ? fast.ref(it.slot) : numberLiteral(it.constant));

  /** The numbers of the arguments, in order: each scalar argument evaluated once, into a temporary. */
  const numbersOf = (args: Expr[], setup: string[]): string[] =>
    args.flatMap((a) => {
      const items = typing.isNumber(a) ? undefined : typing.rangeItems(a);
      if (items) return items.map(item);
      const code = numeric(a);
      if (/^(c\d+|N\[\d+\]|V\[\d+\]|\(?-?[\d.e+-]+\)?)$/.test(code)) return [code];
      const t = fast.temporary();
      setup.push(`${t} = ${code}`);
      return [t];
    });

  /** The expression, after `setup`, with an error (NaN) whenever one of `values` is not finite. */
  const guarded = (setup: string[], values: string[], result: string): string => {
    const finite = values.length > 0 ? `(${values.map((v) => `0 * ${v}`).join(' + ')}) === 0` : 'true';
    return `(${[...setup, `${finite} ? ${result} : NaN`].join(', ')})`;
  };

  const cashFlows = (values: string[], setup: string[]): string => {
    const array = flowArrays.length;
    flowArrays.push(values.length);
    for (const [k, v] of values.entries()) setup.push(`A${array}[${k}] = ${v}`);
    return `A${array}`;
  };

  const numericCall = (name: string, args: Expr[]): string => {
    const setup: string[] = [];
    switch (name) {
      case 'SUM': {
        // Summed left to right from 0, as the general SUM does; non-finite terms keep the sum non-finite.
        const values = numbersOf(args, setup);
        return `(${[...setup, `(0 + ${values.join(' + ')})`].join(', ')})`;
      }
      case 'MIN':
      case 'MAX': {
        const values = numbersOf(args, setup);
        if (values.length === 0) return guarded(setup, [], '0');
        return guarded(setup, values, `Math.${name.toLowerCase()}(${values.join(', ')})`);
      }
      case 'NPV': {
        const rate = fast.temporary();
        setup.push(`${rate} = ${numeric(args[0])}`);
        const flows = cashFlows(numbersOf(args.slice(1), setup), setup);
        return `(${[...setup, `rt.fnpv(${rate}, ${flows})`].join(', ')})`;
      }
      case 'IRR': {
        const guess = args.length === 2 ? numeric(args[1]) : '0.1';
        const flows = cashFlows(numbersOf([args[0]], setup), setup);
        return `(${[...setup, `rt.firr(${flows}, ${guess})`].join(', ')})`;
      }
      case 'ROUND':
      case 'ROUNDUP':
      case 'ROUNDDOWN':
        return `${FAST_ROUNDING[name]}(${numeric(args[0])}, ${numeric(args[1])})`;
      case 'PV': {
        const values = [0, 1, 2, 3, 4].map((k) => (k < args.length ? numeric(args[k]) : '0'));
        return `rt.fpv(${values.join(', ')})`;
      }
      default:
        return `${FAST_UNARY[name]}(${numeric(args[0])})`;
    }
  };

  for (const cell of program.cells)
    fast.add(cell.slot, () =>
      typing.isNumericSlot(cell.slot) ? numeric(cell.expr) : general(cell.expr, checkedRef),
    );
  fast.finish();
  const fastOutputs = program.outputs.map((output, j) => {
    if (!typing.isNumber(output.expr))
      return [
        `    x = ${general(output.expr, checkedRef)};`,
        `    if (typeof x === 'number') O${j}[i] = x; else { O${j}[i] = NaN; E${j}[i] = rt.errorCode(x); }`,
      ];
    // Not a number: its error is known when only one kind can reach it, else the general form says.
    const sole = typing.soleError(output.expr);
    const otherwise = sole === undefined ? 'rt.bail();' : `{ O${j}[i] = NaN; E${j}[i] = ${index(sole)}; }`;
    return [`    x = ${numeric(output.expr)};`, `    if (x - x === 0) O${j}[i] = x; else ${otherwise}`];
  });

  const correlated = new Set([...program.correlations, ...program.copulas].flatMap((g) => g.inputs));
  // Uniforms become samples a block at a time, before the trials read them: one loop per kind of
  // distribution, over its inputs. Its call site then sees one inverse CDF, which V8 inlines once;
  // a loop per input inlined it once per input, and a model of thousands spent seconds compiling.
  const kinds = new Map<string, number[]>();
  program.inputs.forEach((input, k) => {
    // Correlated inputs (and copula inputs) arrive already sampled; the others as uniforms.
    if (input.source.kind !== 'distribution' || correlated.has(k)) return;
    // RiskCompound arrives already sampled (CpuKernel.runTrials)
    if (input.source.spec.type === 'compound') return;
    const { spec } = input.source;
    const kind = `${spec.type}${spec.truncate ? ' truncated' : ''}${spec.shift ? ' shifted' : ''}`;
    kinds.set(kind, [...(kinds.get(kind) ?? []), k]);
  });
  const samplers = [...kinds.values()].map((inputs) => [
    `  for (const k of [${inputs.map(index).join(', ')}]) {`,
    '    const u = U[k], d = D[k];',
    '    for (let j = 0; j < n; j++) u[j] = d.inverseCdf(u[j]);',
    '  }',
  ]);

  const lines: string[] = [];
  lines.push('"use strict";');
  lines.push(`const S = new Array(${index(program.slotCount)}).fill(null);`);
  lines.push(`const N = new Float64Array(${index(program.slotCount)});`);
  lines.push(`const V = new Float64Array(${index(program.inputs.length)});`);
  flowArrays.forEach((length, a) => {
    lines.push(`const A${a} = new Array(${index(length)}).fill(0);`);
  });
  // The samples again, trial by trial (T[j·inputs + k]): a trial then reads its inputs from one place,
  // in one loop, where a line per input cost a model of thousands of inputs a cache miss per input.
  lines.push('let U, T = new Float64Array(0);');
  samplers.forEach((body, n) => {
    lines.push(`function sample${n}(n) {`);
    for (const item of body) lines.push(item);
    lines.push('}');
  });
  const locals = Array.from({ length: program.localCount }, (_, i) => `l${i}`);
  for (const item of fast.functions(locals)) lines.push(item);
  for (const item of slow.functions(locals)) lines.push(item);
  // One function per form, so a bail unwinds out of the fast one only.
  const trialFunction = (name: string, stages: StageWriter, temporaries: string[], outputs: string[][]) => {
    lines.push(`function ${name}(t, i, O, E) {`);
    lines.push(`  let ${['x', 'y', ...temporaries, ...locals].join(', ')};`);
    program.outputs.forEach((_, j) => {
      lines.push(`  const O${j} = O[${j}], E${j} = E[${j}];`);
    });
    for (const item of stages.calls()) lines.push(item);
    for (const pair of outputs) for (const item of pair) lines.push(item);
    lines.push('}');
  };
  trialFunction('fastTrial', fast, fast.outputTemporaries(), fastOutputs);
  trialFunction('generalTrial', slow, [], slowOutputs);
  lines.push('return function kernel(start, end, offset, O, E, records, limit, uniforms) {');
  lines.push('  U = uniforms;');
  samplers.forEach((_, n) => {
    lines.push(`  sample${n}(end - start);`);
  });
  // The samples of the trials sensitivity keeps, copied in bulk (dynamic inputs record their own).
  lines.push('  const recorded = Math.min(end, limit) - start;');
  lines.push('  if (recorded > 0)');
  lines.push(
    '    for (let k = 0; k < U.length; k++) if (U[k]) records[k].set(U[k].subarray(0, recorded), offset);',
  );
  lines.push(`  const w = ${index(program.inputs.length)}, n = end - start;`);
  lines.push('  if (T.length < n * w) T = new Float64Array(n * w);');
  lines.push('  for (let k = 0; k < w; k++) {');
  lines.push('    const u = U[k];');
  lines.push('    if (u) for (let j = 0; j < n; j++) T[j * w + k] = u[j];');
  lines.push('  }');
  lines.push('  for (let t = start; t < end; t++) {');
  lines.push('    const i = t - start + offset;');
  lines.push('    for (let k = 0, o = (t - start) * w; k < w; k++) V[k] = T[o + k];');
  if (options.fastForm === false) lines.push('    generalTrial(t, i, O, E);');
  else {
    lines.push('    try {');
    lines.push('      fastTrial(t, i, O, E);');
    lines.push('    } catch (e) {');
    lines.push('      if (e !== rt.BAIL) throw e;');
    lines.push('      generalTrial(t, i, O, E);');
    lines.push('    }');
  }
  lines.push('  }');
  lines.push('};');
  return { source: lines.join('\n'), functions };
}
