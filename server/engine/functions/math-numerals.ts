/** Number ↔ numeral text: ROMAN, ARABIC, BASE, DECIMAL. */
import { Errors, type ExcelError } from '../values/value';

const ROMAN_CHARS = ['M', 'D', 'C', 'L', 'X', 'V', 'I'];
const ROMAN_VALUES = [1000, 500, 100, 50, 10, 5, 1];

/**
 * ROMAN with Excel's forms 0 (classic) to 4 (most concise): a higher form lets a subtractive pair skip
 * further down (499 → CDXCIX, LDVLIV, XDIX, VDIV, ID). Same algorithm as LibreOffice's ScRoman.
 */
export function toRoman(value: number, form: number): string | ExcelError {
  if (value < 0 || value >= 4000 || form < 0 || form > 4) return Errors.VALUE;
  let rest = Math.trunc(value);
  const mode = Math.trunc(form);
  const last = ROMAN_VALUES.length - 1;
  let out = '';
  for (let i = 0; i <= last / 2; i++) {
    let index = 2 * i;
    const digit = Math.floor(rest / ROMAN_VALUES[index]);
    if (digit % 5 === 4) {
      const index2 = digit === 4 ? index - 1 : index - 2;
      let steps = 0;
      while (steps < mode && index < last) {
        steps++;
        if (ROMAN_VALUES[index2] - ROMAN_VALUES[index + 1] <= rest) index++;
        else steps = mode;
      }
      out += ROMAN_CHARS[index] + ROMAN_CHARS[index2];
      rest = rest + ROMAN_VALUES[index] - ROMAN_VALUES[index2];
    } else {
      if (digit > 4) out += ROMAN_CHARS[index - 1];
      out += ROMAN_CHARS[index].repeat(digit % 5);
      rest %= ROMAN_VALUES[index];
    }
  }
  return out;
}

/** ARABIC: any sequence of roman digits, a smaller digit before a larger one subtracting. */
export function fromRoman(text: string): number | ExcelError {
  let s = text.trim().toUpperCase();
  if (s.length > 255) return Errors.VALUE;
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  }
  let total = 0;
  let largest = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const k = ROMAN_CHARS.indexOf(s[i]);
    if (k < 0) return Errors.VALUE;
    const v = ROMAN_VALUES[k];
    if (v < largest) total -= v;
    else {
      total += v;
      largest = v;
    }
  }
  return sign * total;
}

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function toBase(value: number, radix: number, minLength: number): string | ExcelError {
  value = Math.trunc(value);
  radix = Math.trunc(radix);
  minLength = Math.trunc(minLength);
  if (value < 0 || value >= 2 ** 53 || radix < 2 || radix > 36 || minLength < 0 || minLength > 255)
    return Errors.NUM;
  return value.toString(radix).toUpperCase().padStart(minLength, '0');
}

export function fromBase(text: string, radix: number): number | ExcelError {
  radix = Math.trunc(radix);
  if (radix < 2 || radix > 36 || text.length > 255) return Errors.NUM;
  let total = 0;
  for (const ch of text.toUpperCase()) {
    const d = DIGITS.indexOf(ch);
    if (d < 0 || d >= radix) return Errors.NUM;
    total = total * radix + d;
  }
  if (total >= 2 ** 53) return Errors.NUM;
  return total;
}
