/**
 * The CUDA backend's code generator: a `Program` becomes one kernel in which each thread computes whole
 * trials (grid-stride over a trial range given at launch, so the host can launch in batches and report
 * progress between them), draws its uniforms from the same Philox stream as the CPU backend, keeps
 * every cell in a local double and writes one double and one outcome byte per output.
 *
 * Only what compile/backend-support.ts marks for CUDA is generated, on numbers and booleans (typed by
 * compile/value-kinds.ts); anything else returns `{ unsupported }`, the BackendUnsupported naming the
 * construct and the cell, so the host can fall back to the CPU backend or fail loudly. The source holds
 * only identifiers made here and numbers serialised here: no label, name or text of the workbook ever
 * reaches it (labels go into the error's message only).
 */

import { nextUp } from '../../../../shared/distributions/base';
import { createDistribution, type Distribution } from '../../../../shared/distributions/distribution';
import type { DistributionSpec } from '../../../../shared/model';
import { betaLn } from '../../../../shared/numeric/special';
import { argumentFormProblem, constructName, supports } from '../../compile/backend-support';
import { BackendUnsupported } from '../../compile/backend-unsupported';
import type { Expr, Input, Program } from '../../compile/ir';
import { KIND, ValueKinds } from '../../compile/value-kinds';
import { Matrix, type Value } from '../../values/value';
import { cudaDouble, deviceLibrary, ERROR_CODES, outcomeCode } from './device-library';

export const KERNEL_NAME = 'montecell_trials';

/**
 * The kernel's signature: trials [start, start + count) of the run keyed by `seed` (below 2^53);
 * values[j * pitch + i] and outcomes[j * pitch + i] receive output j of trial start + i. A batch
 * written into its own buffer passes pitch = count; one written in place into arrays holding the
 * whole run passes the run's length (and pointers offset by the batch's first trial).
 */
export const KERNEL_SIGNATURE = `extern "C" __global__ void ${KERNEL_NAME}(unsigned long long seed, unsigned long long start, unsigned long long count, unsigned long long pitch, double* __restrict__ values, unsigned char* __restrict__ outcomes)`;

/** Flags the source is compiled with: no fused multiply-add, so arithmetic rounds as in JavaScript. */
export const NVCC_FLAGS = ['-fmad=false', '-O3'];

export interface CudaKernelOptions {
  sampling?: 'monte_carlo' | 'latin_hypercube';
}

export type CudaKernelResult = { source: string; outputs: number } | { unsupported: BackendUnsupported };

type ValueType = 'number' | 'boolean';

function index(i: number): string {
  if (!Number.isSafeInteger(i) || i < 0) throw new Error('internal: bad index in a CUDA kernel');
  return String(i);
}

export function generateCudaKernel(program: Program, options: CudaKernelOptions = {}): CudaKernelResult {
  try {
    return { source: new CudaGenerator(program).generate(options), outputs: program.outputs.length };
  } catch (e) {
    if (e instanceof BackendUnsupported) return { unsupported: e };
    throw e;
  }
}

class CudaGenerator {
  private readonly kinds: ValueKinds;
  private temporaries = 0;
  /** Global declarations (tables of discrete distributions) placed before the kernel. */
  private readonly globals: string[] = [];
  /** The cell being generated, named by what the generator refuses. */
  private cell: string | undefined;

  constructor(private readonly program: Program) {
    this.kinds = new ValueKinds(program);
  }

  private unsupported(what: string): never {
    throw new BackendUnsupported('cuda', what, this.cell);
  }

  generate(options: CudaKernelOptions): string {
    const p = this.program;
    if (options.sampling === 'latin_hypercube') this.unsupported('Latin hypercube sampling');
    if (p.correlations.length > 0) {
      this.cell = p.correlations[0].label;
      this.unsupported('correlated inputs');
    }
    if (p.copulas.length > 0) {
      this.cell = p.copulas[0].label;
      this.unsupported('RiskCopula');
    }
    const draws = p.inputs.map((input, k) => {
      this.cell = input.label;
      return `    const double v${index(k)} = ${this.draw(input, k)};`;
    });
    const cells = p.cells.map((cell) => {
      this.cell = cell.label;
      const [code] = this.expr(cell.expr);
      return `    const double c${index(cell.slot)} = ${code};`;
    });
    const outputs = p.outputs.flatMap((output, j) => {
      this.cell = output.label;
      const [code, type] = this.expr(output.expr);
      const at = `${index(j)}ull * pitch + i`;
      // A boolean output is not a number: the CPU backend records it as the 'boolean' outcome.
      if (type === 'boolean')
        return [
          `    values[${at}] = __longlong_as_double(0x7ff8000000000000LL); outcomes[${at}] = ${outcomeCode('boolean')};`,
        ];
      return [
        `    x = ${code};`,
        `    values[${at}] = isnan(x) ? __longlong_as_double(0x7ff8000000000000LL) : x; outcomes[${at}] = mc_code(x);`,
      ];
    });
    const scratch = ['x', ...Array.from({ length: this.temporaries }, (_, n) => `t${n}`)];
    const locals = Array.from({ length: p.localCount }, (_, n) => `l${n}`);
    return [
      '// Generated by Montecell: one thread per trial, float64, Philox4x32-10 uniforms.',
      deviceLibrary(),
      ...this.globals,
      `${KERNEL_SIGNATURE} {`,
      '  const unsigned int k0 = (unsigned int)(seed & 0xffffffffull);',
      '  const unsigned int k1 = (unsigned int)((seed >> 32) & 0x1fffffull);',
      '  const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;',
      '  for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {',
      '    const unsigned long long t = start + i;',
      `    double ${[...scratch, ...locals].join(', ')};`,
      ...draws,
      ...cells,
      ...outputs,
      '  }',
      '}',
      '',
    ].join('\n');
  }

  private temporary(): string {
    return `t${this.temporaries++}`;
  }

  /** The sample of an input from its uniform, with every distribution constant computed here. */
  private draw(input: Input, k: number): string {
    if (input.properties?.seed !== undefined) this.unsupported('an input with its own seed (RiskSeed)');
    const u = `mc_uniform(t, ${index(input.stream >>> 0)}u, k0, k1)`;
    const source = input.source;
    if (source.kind === 'uniform') return u;
    if (source.kind === 'dynamic') this.unsupported('distribution parameters computed each trial');
    const spec = source.spec;
    if (spec.truncate) this.unsupported('a truncated distribution');
    const checked = createDistribution({ ...spec, params: spec.params ?? [] });
    if ('error' in checked) this.unsupported('an invalid distribution');
    // A point mass (zero spread, min = max, p = 0 or 1) is its one value, shift included.
    if (checked.min === checked.max) return cudaDouble(checked.min);
    if (checked.discrete) return this.discrete(checked, spec, u, k);
    const sample = inverseCdf(spec, u);
    if (sample === undefined) return this.unsupported(`the ${spec.type} distribution`);
    return spec.shift ? `${sample} + ${cudaDouble(spec.shift)}` : sample;
  }

  /**
   * A discrete distribution as a table of its support values and cumulative probabilities, read back
   * from the CPU backend's own distribution so that both pick the same value for every uniform.
   */
  private discrete(distribution: Distribution, spec: DistributionSpec, u: string, k: number): string {
    if (spec.type === 'integer-uniform') {
      const [min, max] = spec.params ?? [];
      const sample = `fmin(${cudaDouble(max)}, ${cudaDouble(min)} + ceil(${u} * ${cudaDouble(max - min + 1)}) - 1.0)`;
      return spec.shift ? `${sample} + ${cudaDouble(spec.shift)}` : sample;
    }
    // The table holds the final values, shift included, exactly as the CPU backend returns them.
    const table = supportTable(distribution);
    if (!table) return this.unsupported(`a discrete distribution with more than ${MAX_TABLE} values`);
    const name = `mc_table${index(k)}`;
    const n = table.values.length;
    this.globals.push(
      `__device__ const double ${name}_values[${n}] = {${table.values.map(cudaDouble).join(', ')}};`,
      `__device__ const double ${name}_cumulative[${n}] = {${table.cumulative.map(cudaDouble).join(', ')}};`,
    );
    return `mc_table(${u}, ${name}_cumulative, ${name}_values, ${n})`;
  }

  /** An expression's static type (compile/value-kinds.ts); booleans are carried as 1.0 / 0.0. */
  private type(e: Expr): ValueType {
    return this.kinds.mayBe(e, KIND.boolean) ? 'boolean' : 'number';
  }

  /**
   * Refuses `exprs` unless they share one type (Excel orders numbers before booleans); called once their
   * code is generated, so a construct refused inside them is the one named.
   */
  private sameType(exprs: Expr[], what: string): ValueType {
    const type = this.type(exprs[0]);
    if (exprs.some((x) => this.type(x) !== type)) this.unsupported(`${what} mixing numbers and booleans`);
    return type;
  }

  /** C++ code for an expression and its type. */
  private expr(e: Expr): [string, ValueType] {
    if (!supports('cuda', e)) return this.unsupported(constructName(e));
    switch (e.op) {
      case 'num':
        return [cudaDouble(e.value), 'number'];
      case 'const':
        return this.constant(e.index);
      case 'slot':
        return [`c${index(e.slot)}`, this.type(e)];
      case 'input':
        return [`v${index(e.input)}`, 'number'];
      case 'neg':
      case 'pct':
        return [`mc_${e.op}(${this.operand(e.arg)})`, 'number'];
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow':
        return [`mc_${e.op}(${this.operand(e.left)}, ${this.operand(e.right)})`, 'number'];
      case 'eq':
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge': {
        const [left, right] = [this.operand(e.left), this.operand(e.right)];
        // Only like-typed comparisons are plain double ones.
        this.sameType([e.left, e.right], 'a comparison');
        return [`mc_${e.op}(${left}, ${right})`, 'boolean'];
      }
      case 'if':
        return this.conditional(e.cond, e.whenTrue, e.whenFalse);
      case 'iferror':
      case 'ifna': {
        const [value, fallback] = [this.operand(e.value), this.operand(e.fallback)];
        const type = this.sameType([e.value, e.fallback], e.op.toUpperCase());
        const t = this.temporary();
        const test = e.op === 'iferror' ? `mc_is_err(${t})` : `mc_is_na(${t})`;
        return [`((${t} = ${value}), ${test} ? ${fallback} : ${t})`, type];
      }
      case 'choose':
        return this.choose(e.index, e.choices);
      case 'let': {
        const bindings = e.bindings.map((b) => `l${index(b.local)} = ${this.operand(b.value)}`);
        const [body, type] = this.expr(e.body);
        return [`(${[...bindings, body].join(', ')})`, type];
      }
      case 'local':
        return [`l${index(e.local)}`, this.type(e)];
      case 'call':
        return [this.call(e.fn, e.args), 'number'];
      default:
        throw new Error(`internal: the backend table marks ${e.op} for CUDA without code for it`);
    }
  }

  /** An arithmetic operand: numbers and booleans (TRUE + 1 = 2) alike. */
  private operand(e: Expr): string {
    return this.expr(e)[0];
  }

  private constant(i: number): [string, ValueType] {
    const value = this.program.constants[i];
    const scalar = value instanceof Matrix && value.rows === 1 && value.cols === 1 ? value.data[0] : value;
    if (typeof scalar === 'number') return [cudaDouble(scalar), 'number'];
    if (typeof scalar === 'boolean') return [scalar ? '1.0' : '0.0', 'boolean'];
    return this.unsupported(
      value instanceof Matrix
        ? 'an array outside the functions that read ranges'
        : 'a text or error constant',
    );
  }

  private conditional(cond: Expr, whenTrue: Expr, whenFalse: Expr): [string, ValueType] {
    const [test, a, b] = [cond, whenTrue, whenFalse].map((x) => this.operand(x));
    const type = this.sameType([whenTrue, whenFalse], 'IF');
    const t = this.temporary();
    return [`((${t} = ${test}), isnan(${t}) ? ${t} : (${t} != 0.0 ? ${a} : ${b}))`, type];
  }

  private choose(indexExpr: Expr, choices: Expr[]): [string, ValueType] {
    const indexCode = this.operand(indexExpr);
    const branches = choices.map((c) => this.operand(c));
    const type = this.sameType(choices, 'CHOOSE');
    const t = this.temporary();
    let chain = `mc_err(${ERROR_CODES.VALUE})`;
    for (let k = branches.length; k >= 1; k--) chain = `${t} == ${k}.0 ? ${branches[k - 1]} : ${chain}`;
    return [`((${t} = ${indexCode}), isnan(${t}) ? ${t} : ((${t} = trunc(${t})), ${chain}))`, type];
  }

  /** A function the backend table marks for CUDA, in the argument forms of the table. */
  private call(fn: string, args: Expr[]): string {
    const problem = argumentFormProblem(this.program, fn, args);
    if (problem) this.unsupported(problem);
    switch (fn) {
      case 'SUM':
      case 'MIN':
      case 'MAX':
        return this.aggregate(fn.toLowerCase(), args);
      case 'ABS':
      case 'SQRT':
      case 'EXP':
      case 'LN':
        return `mc_${fn.toLowerCase()}(${this.operand(args[0])})`;
      case 'ROUND':
      case 'ROUNDUP':
      case 'ROUNDDOWN':
        return `mc_${fn.toLowerCase()}(${this.operand(args[0])}, ${this.operand(args[1])})`;
      case 'PV': {
        const values = [0, 1, 2, 3, 4].map((i) => (i < args.length ? this.operand(args[i]) : '0.0'));
        return `mc_pv(${values.join(', ')})`;
      }
      case 'NPV':
        return this.npv(args);
      case 'IRR':
        return this.irr(args);
      default:
        throw new Error(`internal: the backend table marks ${fn} for CUDA without code for it`);
    }
  }

  /**
   * SUM/MIN/MAX as a fold: numbers in ranges and arrays count, their text, booleans and blanks do not,
   * errors propagate (the first in argument order).
   */
  private aggregate(kind: string, args: Expr[]): string {
    const items = this.numbersOf(args, kind.toUpperCase());
    // A lambda keeps the fold an expression, so it nests inside any other one.
    const body = items.map((item) => `fold.add(${item});`).join(' ');
    return `([&]() { mc_${kind} fold; ${body} return fold.result(); }())`;
  }

  /** The numbers of the arguments in order: ranges and arrays give their numbers, scalars themselves. */
  private numbersOf(args: Expr[], caller: string): string[] {
    const items: string[] = [];
    for (const arg of args) {
      if (arg.op === 'area') for (const item of this.areaItems(arg.template, arg.fill)) items.push(item);
      else if (arg.op === 'const' && this.program.constants[arg.index] instanceof Matrix)
        for (const item of this.areaItems(arg.index, [])) items.push(item);
      else {
        if (this.type(arg) !== 'number') this.unsupported(`a boolean argument of ${caller}`);
        items.push(this.operand(arg));
      }
    }
    return items;
  }

  /** Cash flows in a local array, the first error among them returned as it is (financial.ts' flowsOf). */
  private cashFlowCall(items: string[], result: string): string {
    if (items.length === 0) this.unsupported('a cash-flow function without values');
    const n = items.length;
    return `([&]() { const double flows[${n}] = {${items.join(', ')}}; for (int k = 0; k < ${n}; k++) if (isnan(flows[k])) return flows[k]; ${result} }())`;
  }

  private npv(args: Expr[]): string {
    const rate = this.operand(args[0]);
    const items = this.numbersOf(args.slice(1), 'NPV');
    // The rate is evaluated first: its error comes before those of the flows.
    const t = this.temporary();
    const body = `return ${t} == -1.0 ? mc_err(${ERROR_CODES.DIV0}) : mc_fin(mc_npv_value(${t}, flows, ${items.length}));`;
    return `((${t} = ${rate}), isnan(${t}) ? ${t} : ${this.cashFlowCall(items, body)})`;
  }

  private irr(args: Expr[]): string {
    const items = this.numbersOf([args[0]], 'IRR');
    const guess = args.length === 2 ? this.operand(args[1]) : '0.1';
    const n = items.length;
    return this.cashFlowCall(
      items,
      `const double guess = ${guess}; return isnan(guess) ? guess : mc_irr(flows, ${n}, guess);`,
    );
  }

  /** The numbers of a range: its constant cells, with random cells filled in from slots. */
  private areaItems(template: number, fill: { position: number; slot: number }[]): string[] {
    const matrix = this.program.constants[template];
    if (!(matrix instanceof Matrix)) throw new Error('internal: area template is not a matrix');
    const filled = new Map(fill.map((f) => [f.position, f.slot]));
    const items: string[] = [];
    matrix.data.forEach((value: Value, position: number) => {
      const slot = filled.get(position);
      if (slot !== undefined) {
        if (this.type({ op: 'slot', slot }) === 'number') items.push(`c${index(slot)}`);
        return;
      }
      if (typeof value === 'number') items.push(cudaDouble(value));
      else if (value !== null && typeof value === 'object' && !(value instanceof Matrix))
        this.unsupported('an error value inside a range');
    });
    return items;
  }
}

/** Largest discrete support generated as a table (a binomial's window of mean ± 12 sd fits well within). */
const MAX_TABLE = 1 << 14;

/**
 * The support of a discrete distribution with the cumulative probability at each value, walked with
 * its own inverse cdf (the value after x is the first one whose cdf exceeds cdf(x)); undefined beyond
 * MAX_TABLE values (Cornish–Fisher binomials and Poissons with a huge mean).
 */
function supportTable(d: Distribution): { values: number[]; cumulative: number[] } | undefined {
  const values: number[] = [];
  const cumulative: number[] = [];
  let x = d.inverseCdf(2 ** -54);
  while (values.length <= MAX_TABLE) {
    const c = d.cdf(x);
    values.push(x);
    cumulative.push(c);
    if (c >= 1) return { values, cumulative };
    x = d.inverseCdf(nextUp(c));
  }
  return undefined;
}

/** The inverse cdf of a distribution with constant parameters, constants derived as the CPU backend does. */
/** undefined for a distribution the generator has no inverse cdf for. */
function inverseCdf(spec: DistributionSpec, u: string): string | undefined {
  const p = spec.params ?? [];
  const d = cudaDouble;
  switch (spec.type) {
    case 'normal':
      return p[1] === 0 ? d(p[0]) : `${d(p[0])} + ${d(p[1])} * mc_norm_inv(${u})`;
    case 'lognormal': {
      const ratio = p[1] / p[0];
      const variance = Math.log1p(ratio * ratio);
      return lognormal(Math.log(p[0]) - variance / 2, Math.sqrt(variance), u);
    }
    case 'lognormal2':
      return lognormal(p[0], p[1], u);
    case 'uniform':
      return p[0] === p[1] ? d(p[0]) : `${d(p[0])} + ${d(p[1] - p[0])} * ${u}`;
    case 'triangular': {
      const [min, mode, max] = p;
      if (min === max) return d(min);
      const width = max - min;
      const left = mode - min;
      return `mc_triangular(${u}, ${[min, width, left, max - mode, left / width, max].map(d).join(', ')})`;
    }
    case 'pert': {
      const [min, mode, max] = p;
      if (min === max) return d(min);
      const width = max - min;
      return scaledBeta(1 + (4 * (mode - min)) / width, 1 + (4 * (max - mode)) / width, min, max, u);
    }
    case 'beta':
      return scaledBeta(p[0], p[1], 0, 1, u);
    case 'betageneral':
      return p[2] === p[3] ? d(p[2]) : scaledBeta(p[0], p[1], p[2], p[3], u);
    case 'exponential':
      return `-${d(p[0])} * log1p(-${u})`;
    default:
      return undefined;
  }
}

function lognormal(mu: number, sigma: number, u: string): string {
  if (sigma === 0) return cudaDouble(Math.exp(mu));
  return `exp(${cudaDouble(mu)} + ${cudaDouble(sigma)} * mc_norm_inv(${u}))`;
}

function scaledBeta(a: number, b: number, min: number, max: number, u: string): string {
  const args = [a, b, betaLn(a, b)].map(cudaDouble).join(', ');
  return `${cudaDouble(min)} + ${cudaDouble(max - min)} * mc_beta_inv(${u}, ${args})`;
}
