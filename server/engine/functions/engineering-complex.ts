/** Complex numbers as Excel writes them ("3+4i", "-2.5j", "i") and the arithmetic of the IM* functions. */
import { numberToText } from '../values/coerce';
import { Errors, type ExcelError, isError, type Scalar } from '../values/value';

export interface Complex {
  re: number;
  im: number;
  suffix: 'i' | 'j';
}

const NUMBER = '(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?';
const IMAGINARY_ONLY = new RegExp(`^([+-]?)(${NUMBER})?([ij])$`);
const REAL_AND_IMAGINARY = new RegExp(`^([+-]?${NUMBER})(?:([+-])(${NUMBER})?([ij]))?$`);

/** Parses a complex argument; numbers are real; anything malformed is #NUM!. */
export function parseComplex(value: Scalar): Complex | ExcelError {
  if (isError(value)) return value;
  if (typeof value === 'number') return { re: value, im: 0, suffix: 'i' };
  if (value === null) return { re: 0, im: 0, suffix: 'i' };
  if (typeof value === 'boolean') return Errors.VALUE;
  if (value === '') return { re: 0, im: 0, suffix: 'i' };
  const lone = IMAGINARY_ONLY.exec(value);
  if (lone) {
    const im = Number(lone[2] ?? '1') * (lone[1] === '-' ? -1 : 1);
    return { re: 0, im, suffix: lone[3] as 'i' };
  }
  const m = REAL_AND_IMAGINARY.exec(value);
  if (!m) return Errors.NUM;
  const [, real, sign, magnitude, suffix] = m;
  if (suffix === undefined) return { re: Number(real), im: 0, suffix: 'i' };
  const im = Number(magnitude ?? '1') * (sign === '-' ? -1 : 1);
  return { re: Number(real), im, suffix: suffix as 'i' };
}

/** Writes a complex number the way COMPLEX and the IM* functions return it. */
export function formatComplex(z: Complex): Scalar {
  if (!Number.isFinite(z.re) || !Number.isFinite(z.im)) return Errors.NUM;
  const re = clean(z.re);
  const im = clean(z.im);
  if (im === 0) return partText(re);
  const imText = im === 1 ? '' : im === -1 ? '-' : partText(im);
  const imPart = `${imText}${z.suffix}`;
  if (re === 0) return imPart;
  return `${partText(re)}${im > 0 ? '+' : ''}${imPart}`;
}

/**
 * Like numberToText, but small parts stay in positional notation while that takes at most 20 characters
 * ("0.000000000000000001", yet "1E-20").
 */
function partText(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1e-9) return numberToText(x);
  const digits = Math.min(100, 14 - Math.floor(Math.log10(abs)));
  const positional = Number(x.toPrecision(15))
    .toFixed(digits)
    .replace(/\.?0+$/, '');
  return positional.replace('-', '').length <= 20 ? positional : numberToText(x);
}

/** Values within rounding noise of zero (e.g. the real part of IMEXP(πi/2)) print as 0 in Excel. */
function clean(x: number): number {
  return Math.abs(x) < 1e-300 ? 0 : x;
}

export const complex = (re: number, im: number, suffix: 'i' | 'j' = 'i'): Complex => ({ re, im, suffix });

export function add(a: Complex, b: Complex): Complex {
  return complex(a.re + b.re, a.im + b.im, a.suffix);
}

export function sub(a: Complex, b: Complex): Complex {
  return complex(a.re - b.re, a.im - b.im, a.suffix);
}

export function mul(a: Complex, b: Complex): Complex {
  return complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re, a.suffix);
}

export function div(a: Complex, b: Complex): Complex | ExcelError {
  const d = b.re * b.re + b.im * b.im;
  if (d === 0) return Errors.NUM;
  return complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d, a.suffix);
}

export function abs(z: Complex): number {
  return Math.hypot(z.re, z.im);
}

export function arg(z: Complex): number | ExcelError {
  if (z.re === 0 && z.im === 0) return Errors.DIV0;
  return Math.atan2(z.im, z.re);
}

export function exp(z: Complex): Complex {
  const r = Math.exp(z.re);
  return complex(r * Math.cos(z.im), r * Math.sin(z.im), z.suffix);
}

export function ln(z: Complex): Complex | ExcelError {
  if (z.re === 0 && z.im === 0) return Errors.NUM;
  return complex(Math.log(abs(z)), Math.atan2(z.im, z.re), z.suffix);
}

export function scale(z: Complex, k: number): Complex {
  return complex(z.re * k, z.im * k, z.suffix);
}

export function power(z: Complex, n: number): Complex | ExcelError {
  if (z.re === 0 && z.im === 0) return n > 0 ? complex(0, 0, z.suffix) : Errors.NUM;
  const r = abs(z) ** n;
  const theta = Math.atan2(z.im, z.re) * n;
  return complex(r * Math.cos(theta), r * Math.sin(theta), z.suffix);
}

export function sqrt(z: Complex): Complex | ExcelError {
  return power(z, 0.5);
}

export function sin(z: Complex): Complex {
  return complex(Math.sin(z.re) * Math.cosh(z.im), Math.cos(z.re) * Math.sinh(z.im), z.suffix);
}

export function cos(z: Complex): Complex {
  return complex(Math.cos(z.re) * Math.cosh(z.im), -Math.sin(z.re) * Math.sinh(z.im), z.suffix);
}

export function sinh(z: Complex): Complex {
  return complex(Math.sinh(z.re) * Math.cos(z.im), Math.cosh(z.re) * Math.sin(z.im), z.suffix);
}

export function cosh(z: Complex): Complex {
  return complex(Math.cosh(z.re) * Math.cos(z.im), Math.sinh(z.re) * Math.sin(z.im), z.suffix);
}

export function reciprocal(z: Complex): Complex | ExcelError {
  return div(complex(1, 0, z.suffix), z);
}
