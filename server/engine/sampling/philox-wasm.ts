/**
 * The bulk form of the Philox uniforms (philox.ts) as a small WebAssembly function. JavaScript has no
 * 32×32→64-bit multiply, so each Philox round there costs four partial products in doubles; WebAssembly's
 * i64.mul does it in one instruction, which makes filling a run's uniforms several times faster. The
 * numbers are the same bit for bit (a test compares the two on many counters).
 *
 * The module is assembled here, byte by byte, from the instructions below: no toolchain, and nothing in
 * it but this one function and its memory.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;

// Opcodes used (WebAssembly 1.0).
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  brIf: 0x0d,
  return: 0x0f,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f64Store: 0x39,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i64Eqz: 0x50,
  i32Add: 0x6a,
  i32Shl: 0x74,
  i32Xor: 0x73,
  i64Add: 0x7c,
  i64Mul: 0x7e,
  i64Or: 0x84,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  f64Mul: 0xa2,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
  f64ConvertI64U: 0xba,
} as const;
const I32 = 0x7f;
const I64 = 0x7e;
const VOID = 0x40;

function unsignedLeb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function signedLeb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function f64Bytes(x: number): number[] {
  return [...new Uint8Array(new Float64Array([x]).buffer)];
}

const i32Const = (n: number) => [OP.i32Const, ...signedLeb(BigInt(n | 0))];
const i64Const = (n: number) => [OP.i64Const, ...signedLeb(BigInt(n))];
const get = (local: number) => [OP.localGet, local];
const set = (local: number) => [OP.localSet, local];

// Parameters, then locals, by index.
const K0 = 0;
const K1 = 1;
const STREAM = 2;
const DRAW = 3;
const START_LO = 4;
const START_HI = 5;
const COUNT = 6;
const OUT = 7;
const TRIAL = 8; // i64
const I = 9; // i32 ...
const C0 = 10;
const C1 = 11;
const C2 = 12;
const C3 = 13;
const KEY0 = 14;
const KEY1 = 15;
const P0 = 16; // i64 ...
const P1 = 17;
const BITS = 18;

/** fill(k0, k1, stream, draw, startLo, startHi, count, out): count doubles at byte offset `out`. */
function fillBody(): number[] {
  const round = (r: number) => [
    ...get(C0),
    OP.i64ExtendI32U,
    ...i64Const(M0),
    OP.i64Mul,
    ...set(P0),
    ...get(C2),
    OP.i64ExtendI32U,
    ...i64Const(M1),
    OP.i64Mul,
    ...set(P1),
    // c0 = hi(M1 c2) ^ c1 ^ key0; c1 = lo(M1 c2); c2 = hi(M0 c0) ^ c3 ^ key1; c3 = lo(M0 c0)
    ...get(P1),
    ...i64Const(32),
    OP.i64ShrU,
    OP.i32WrapI64,
    ...get(C1),
    OP.i32Xor,
    ...get(KEY0),
    OP.i32Xor,
    ...set(C0),
    ...get(P1),
    OP.i32WrapI64,
    ...set(C1),
    ...get(P0),
    ...i64Const(32),
    OP.i64ShrU,
    OP.i32WrapI64,
    ...get(C3),
    OP.i32Xor,
    ...get(KEY1),
    OP.i32Xor,
    ...set(C2),
    ...get(P0),
    OP.i32WrapI64,
    ...set(C3),
    ...(r < ROUNDS - 1
      ? [
          ...get(KEY0),
          ...i32Const(W0),
          OP.i32Add,
          ...set(KEY0),
          ...get(KEY1),
          ...i32Const(W1),
          OP.i32Add,
          ...set(KEY1),
        ]
      : []),
  ];
  const code = [
    // trial = startHi << 32 | startLo
    ...get(START_HI),
    OP.i64ExtendI32U,
    ...i64Const(32),
    OP.i64Shl,
    ...get(START_LO),
    OP.i64ExtendI32U,
    OP.i64Or,
    ...set(TRIAL),
    ...get(COUNT),
    OP.i32Eqz,
    OP.if,
    VOID,
    OP.return,
    OP.end,
    ...i32Const(0),
    ...set(I),
    OP.loop,
    VOID,
    // counter = [trial mod 2^32, trial / 2^32, stream, draw], key = [k0, k1]
    ...get(TRIAL),
    OP.i32WrapI64,
    ...set(C0),
    ...get(TRIAL),
    ...i64Const(32),
    OP.i64ShrU,
    OP.i32WrapI64,
    ...set(C1),
    ...get(STREAM),
    ...set(C2),
    ...get(DRAW),
    ...set(C3),
    ...get(K0),
    ...set(KEY0),
    ...get(K1),
    ...set(KEY1),
    ...Array.from({ length: ROUNDS }, (_, r) => round(r)).flat(),
    // bits = (c0 >>> 11) * 2^32 + c1: 53 random bits
    ...get(C0),
    OP.i64ExtendI32U,
    ...i64Const(11),
    OP.i64ShrU,
    ...i64Const(32),
    OP.i64Shl,
    ...get(C1),
    OP.i64ExtendI32U,
    OP.i64Or,
    ...set(BITS),
    // out[i] = bits == 0 ? 2^-54 : bits * 2^-53
    ...get(OUT),
    ...get(I),
    ...i32Const(3),
    OP.i32Shl,
    OP.i32Add,
    OP.f64Const,
    ...f64Bytes(2 ** -54),
    ...get(BITS),
    OP.f64ConvertI64U,
    OP.f64Const,
    ...f64Bytes(2 ** -53),
    OP.f64Mul,
    ...get(BITS),
    OP.i64Eqz,
    OP.select,
    OP.f64Store,
    3,
    0,
    ...get(TRIAL),
    ...i64Const(1),
    OP.i64Add,
    ...set(TRIAL),
    ...get(I),
    ...i32Const(1),
    OP.i32Add,
    OP.localTee,
    I,
    ...get(COUNT),
    OP.i32LtU,
    OP.brIf,
    0,
    OP.end,
    OP.end,
  ];
  const locals = [3, 1, I64, 7, I32, 3, I64];
  return [...unsignedLeb(locals.length + code.length), ...locals, ...code];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  return [text.length, ...[...text].map((c) => c.charCodeAt(0))];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const body = fillBody();
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 8, I32, I32, I32, I32, I32, I32, I32, I32, 0]), // type: (8 × i32) → ()
    ...section(3, [1, 0]), // one function of type 0
    ...section(5, [1, 0x00, 1]), // one memory, at least one page
    ...section(7, [2, ...name('fill'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...body]),
  ]);
}

/** Doubles per call: the module's memory stays at 512 KiB. */
const BLOCK = 1 << 16;

export interface PhiloxFiller {
  /** out[offset + (t - start)] = uniform(seed, stream, t, draw) for t in [start, end). */
  fill(
    out: Float64Array,
    k0: number,
    k1: number,
    stream: number,
    draw: number,
    start: number,
    end: number,
    offset: number,
  ): void;
}

export function createPhiloxFiller(): PhiloxFiller {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
  const fill = instance.exports.fill as (...args: number[]) => void;
  const memory = instance.exports.memory as WebAssembly.Memory;
  memory.grow((BLOCK * 8) / 65536);
  const view = new Float64Array(memory.buffer, 0, BLOCK);
  return {
    fill(out, k0, k1, stream, draw, start, end, offset) {
      for (let from = start; from < end; from += BLOCK) {
        const count = Math.min(BLOCK, end - from);
        fill(
          k0 | 0,
          k1 | 0,
          stream | 0,
          draw | 0,
          (from % 4294967296) | 0,
          Math.floor(from / 4294967296) | 0,
          count,
          0,
        );
        out.set(count === BLOCK ? view : view.subarray(0, count), offset + (from - start));
      }
    },
  };
}
