/**
 * The number-format engine behind TEXT (and DOLLAR/FIXED): sections, digit placeholders (0 # ?),
 * thousands separators and scaling commas, percent, scientific notation, simple fractions, dates and times,
 * literal text, and the General format as TEXT renders it (at most 11 characters besides the sign).
 */
import { dateFromSerial, MAX_SERIAL } from '../values/dates';
import { Errors, type ExcelError } from '../values/value';

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'digit'; ch: '0' | '#' | '?' }
  | { kind: 'point' }
  | { kind: 'comma' }
  | { kind: 'percent' }
  | { kind: 'exponent'; sign: '+' | '-' }
  | { kind: 'slash' }
  | { kind: 'date'; code: string }
  | { kind: 'ampm'; text: string }
  | { kind: 'elapsed'; unit: 'h' | 'm' | 's'; width: number }
  | { kind: 'general' }
  | { kind: 'text' };

interface Section {
  tokens: Token[];
  condition?: { op: string; value: number };
}

/** Splits the format on `;` outside quotes and brackets. */
function splitSections(format: string): string[] {
  const sections: string[] = [];
  let current = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '"') {
      const end = format.indexOf('"', i + 1);
      const stop = end < 0 ? format.length : end;
      current += format.slice(i, stop + 1);
      i = stop;
    } else if (ch === '\\' || ch === '_' || ch === '*') {
      current += format.slice(i, i + 2);
      i++;
    } else if (ch === '[') {
      const end = format.indexOf(']', i);
      const stop = end < 0 ? format.length : end;
      current += format.slice(i, stop + 1);
      i = stop;
    } else if (ch === ';') {
      sections.push(current);
      current = '';
    } else current += ch;
  }
  sections.push(current);
  return sections;
}

const DATE_LETTERS = /[ymdhs]/i;

function tokenize(section: string): Section {
  const tokens: Token[] = [];
  let condition: Section['condition'];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < section.length; i++) {
    const ch = section[i];
    const rest = section.slice(i);
    if (ch === '"') {
      const end = section.indexOf('"', i + 1);
      const stop = end < 0 ? section.length : end;
      literal(section.slice(i + 1, stop));
      i = stop;
    } else if (ch === '\\') {
      literal(section[i + 1] ?? '');
      i++;
    } else if (ch === '_') {
      literal(' ');
      i++;
    } else if (ch === '*') {
      i++;
    } else if (ch === '[') {
      const end = section.indexOf(']', i);
      const inner = section.slice(i + 1, end < 0 ? section.length : end);
      i = end < 0 ? section.length : end;
      const elapsed = /^(h+|m+|s+)$/i.exec(inner);
      const cond = /^(<=|>=|<>|<|>|=)\s*(-?[\d.]+)$/.exec(inner);
      if (elapsed) tokens.push({ kind: 'elapsed', unit: inner[0].toLowerCase() as 'h', width: inner.length });
      else if (cond) condition = { op: cond[1], value: Number(cond[2]) };
    } else if (/^general/i.test(rest)) {
      tokens.push({ kind: 'general' });
      i += 6;
    } else if (/^(am\/pm|a\/p)/i.test(rest)) {
      const text = /^(am\/pm|a\/p)/i.exec(rest)![0];
      tokens.push({ kind: 'ampm', text });
      i += text.length - 1;
    } else if (ch === '0' || ch === '#' || ch === '?') tokens.push({ kind: 'digit', ch });
    else if (ch === '.') tokens.push({ kind: 'point' });
    else if (ch === ',') tokens.push({ kind: 'comma' });
    else if (ch === '%') {
      tokens.push({ kind: 'percent' });
    } else if ((ch === 'E' || ch === 'e') && (section[i + 1] === '+' || section[i + 1] === '-')) {
      tokens.push({ kind: 'exponent', sign: section[i + 1] as '+' });
      i++;
    } else if (ch === '/') tokens.push({ kind: 'slash' });
    else if (ch === '@') tokens.push({ kind: 'text' });
    else if (DATE_LETTERS.test(ch)) {
      let j = i;
      while (j < section.length && section[j].toLowerCase() === ch.toLowerCase()) j++;
      tokens.push({ kind: 'date', code: section.slice(i, j).toLowerCase() });
      i = j - 1;
    } else literal(ch);
  }
  return { tokens, condition };
}

function isDateSection(tokens: Token[]): boolean {
  return tokens.some((t) => t.kind === 'date' || t.kind === 'ampm' || t.kind === 'elapsed');
}

// ---------------------------------------------------------------------------------------------------
// Decimal digits on Excel's 15 significant digits

/** `x` (≥ 0) rounded half away from zero to `decimals` places, as integer and fraction digit strings. */
export function decimalDigits(x: number, decimals: number): { int: string; frac: string } {
  if (x === 0) return { int: '', frac: '0'.repeat(decimals) };
  const [mantissa, exp] = x.toExponential(14).split('e');
  let digits = mantissa.replace('.', '');
  let pointAt = Number(exp) + 1; // digits before the decimal point
  const keep = pointAt + decimals;
  if (keep < 0) return { int: '', frac: '0'.repeat(decimals) };
  if (keep < digits.length) {
    const roundUp = digits[keep] >= '5';
    digits = digits.slice(0, keep);
    if (roundUp) {
      const bumped = (BigInt(`1${digits}`) + 1n).toString();
      // A carry out of the leading digit lengthens the number by one.
      if (bumped[0] === '2') {
        digits = `1${bumped.slice(1)}`;
        pointAt++;
      } else digits = bumped.slice(1);
    }
  }
  digits = digits.padEnd(pointAt + decimals, '0');
  if (pointAt <= 0)
    return { int: '', frac: ('0'.repeat(-pointAt) + digits).slice(0, decimals).padEnd(decimals, '0') };
  return {
    int: digits.slice(0, pointAt).replace(/^0+/, ''),
    frac: digits.slice(pointAt, pointAt + decimals),
  };
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// ---------------------------------------------------------------------------------------------------
// General

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function significantDigits(text: string): number {
  return text
    .replace(/E.*$/, '')
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '').length;
}

/** General as TEXT renders it: at most 11 characters, fixed or scientific, whichever keeps more digits. */
export function formatGeneral(x: number): string {
  if (x === 0) return '0';
  const sign = x < 0 ? '-' : '';
  const abs = Math.abs(x);
  const exponent = Math.floor(Math.log10(abs));
  const intDigits = Math.max(exponent + 1, 1);
  let fixed: string | undefined;
  if (intDigits <= 11) {
    const decimals = Math.max(0, 10 - intDigits);
    const d = decimalDigits(abs, decimals);
    const candidate = trimZeros(`${d.int || '0'}${decimals ? `.${d.frac}` : ''}`);
    if (candidate.length <= 11 && candidate !== '0') fixed = candidate;
  }
  const scientific = formatScientificGeneral(abs);
  if (fixed !== undefined && significantDigits(fixed) >= significantDigits(scientific)) return sign + fixed;
  return sign + scientific;
}

function formatScientificGeneral(abs: number): string {
  for (let decimals = 5; decimals >= 0; decimals--) {
    const [m, e] = abs.toExponential(14).split('e');
    const rounded = Number(Number(`${m}e${0}`).toFixed(decimals));
    let exp = Number(e);
    let mantissa = rounded;
    if (mantissa >= 10) {
      mantissa /= 10;
      exp++;
    }
    const mText = trimZeros(mantissa.toFixed(decimals));
    const eText = `E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    if (mText.length + eText.length <= 11) return mText + eText;
  }
  return abs.toExponential(0).toUpperCase();
}

// ---------------------------------------------------------------------------------------------------
// Numbers

/** Fills digit placeholders right to left; extra digits go before the leftmost placeholder. */
function fillInteger(tokens: Token[], digits: string, grouping: boolean): string {
  const placeholders = tokens.filter((t) => t.kind === 'digit');
  const zeros = placeholders.length - placeholders.findIndex((t) => t.kind === 'digit' && t.ch !== '#');
  const minimum = placeholders.some((t) => t.kind === 'digit' && t.ch !== '#') ? zeros : 0;
  if (grouping) {
    const padded = digits.padStart(minimum, '0');
    const grouped = groupThousands(padded);
    const first = tokens.findIndex((t) => t.kind === 'digit');
    let out = '';
    tokens.forEach((t, i) => {
      if (i === first) out += grouped;
      else if (t.kind === 'literal') out += t.text;
    });
    return out;
  }
  let out = '';
  let remaining = digits;
  let seen = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind === 'literal') {
      out = t.text + out;
      continue;
    }
    if (t.kind !== 'digit') continue;
    seen++;
    const isFirst = seen === placeholders.length;
    if (isFirst) {
      out = (remaining || (t.ch === '0' ? '0' : t.ch === '?' ? ' ' : '')) + out;
      remaining = '';
    } else if (remaining) {
      out = remaining[remaining.length - 1] + out;
      remaining = remaining.slice(0, -1);
    } else out = (t.ch === '0' ? '0' : t.ch === '?' ? ' ' : '') + out;
  }
  return out;
}

/** Fills fraction placeholders left to right; trailing `#` drop their zeros, `?` become spaces. */
function fillFraction(tokens: Token[], digits: string): string {
  let out = '';
  let k = 0;
  const placeholders = tokens.filter((t) => t.kind === 'digit') as { kind: 'digit'; ch: string }[];
  let lastSignificant = -1;
  for (let i = 0; i < digits.length; i++)
    if (digits[i] !== '0' || placeholders[i].ch === '0') lastSignificant = i;
  for (const t of tokens) {
    if (t.kind === 'literal') out += t.text;
    else if (t.kind === 'digit') {
      if (k <= lastSignificant) out += digits[k];
      else if (t.ch === '?') out += ' ';
      k++;
    }
  }
  return out;
}

function formatNumber(x: number, tokens: Token[], withSign: boolean): string | ExcelError {
  if (tokens.some((t) => t.kind === 'general')) {
    const rest = tokens.filter((t) => t.kind === 'literal').map((t) => (t as { text: string }).text);
    const general = formatGeneral(withSign ? x : Math.abs(x));
    const index = tokens.findIndex((t) => t.kind === 'general');
    const before = tokens
      .slice(0, index)
      .filter((t) => t.kind === 'literal')
      .map((t) => (t as { text: string }).text)
      .join('');
    return before + general + rest.join('').slice(before.length);
  }
  const slash = tokens.findIndex((t) => t.kind === 'slash');
  if (slash >= 0 && tokens.some((t, i) => i > slash && t.kind === 'digit'))
    return formatFraction(x, tokens, withSign);

  let value = Math.abs(x);
  const percents = tokens.filter((t) => t.kind === 'percent').length;
  value *= 100 ** percents;
  // Commas right after the last integer placeholder (before the point or the end) divide by 1000 each.
  const pointIndex = tokens.findIndex((t) => t.kind === 'point');
  const expIndex = tokens.findIndex((t) => t.kind === 'exponent');
  const intEnd = pointIndex >= 0 ? pointIndex : expIndex >= 0 ? expIndex : tokens.length;
  let lastDigit = -1;
  for (let i = 0; i < intEnd; i++) if (tokens[i].kind === 'digit') lastDigit = i;
  let scaling = 0;
  for (let i = lastDigit + 1; i < intEnd && tokens[i].kind === 'comma'; i++) scaling++;
  value /= 1000 ** scaling;
  const grouping = tokens.some(
    (t, i) => t.kind === 'comma' && i < lastDigit && tokens.slice(0, i).some((u) => u.kind === 'digit'),
  );

  const intTokens = tokens.slice(0, intEnd).filter((t) => t.kind !== 'comma' && t.kind !== 'percent');
  const fracEnd = expIndex >= 0 ? expIndex : tokens.length;
  const fracTokens =
    pointIndex >= 0
      ? tokens.slice(pointIndex + 1, fracEnd).filter((t) => t.kind !== 'comma' && t.kind !== 'percent')
      : [];
  const decimals = fracTokens.filter((t) => t.kind === 'digit').length;
  const percentText = tokens.filter((t, i) => t.kind === 'percent' && i >= intEnd).length;

  let exponentText = '';
  if (expIndex >= 0) {
    const intPlaces = Math.max(1, intTokens.filter((t) => t.kind === 'digit').length);
    let exp = value === 0 ? 0 : Math.floor(Math.log10(value));
    // With several integer placeholders the exponent is a multiple of their count (engineering style).
    exp = intPlaces > 1 ? Math.floor(exp / intPlaces) * intPlaces : exp - (intPlaces - 1);
    let mantissa = value / 10 ** exp;
    const check = decimalDigits(mantissa, decimals);
    if (check.int.length > intPlaces) {
      exp += Math.max(intPlaces, 1);
      mantissa = value / 10 ** exp;
    }
    value = mantissa;
    const expToken = tokens[expIndex] as { sign: string };
    const expDigits = tokens.slice(expIndex + 1).filter((t) => t.kind === 'digit').length;
    const sign = exp < 0 ? '-' : expToken.sign === '+' ? '+' : '';
    exponentText = `E${sign}${String(Math.abs(exp)).padStart(expDigits, '0')}`;
  }
  const d = decimalDigits(value, decimals);
  const isZero = !/[1-9]/.test(d.int + d.frac);
  let out = fillInteger(intTokens, d.int, grouping);
  if (pointIndex >= 0) out += `.${fillFraction(fracTokens, d.frac)}`;
  if (expIndex >= 0) {
    out += exponentText;
    const tail = tokens.slice(expIndex + 1).filter((t) => t.kind === 'literal');
    for (const t of tail) out += (t as { text: string }).text;
  }
  if (percentText && pointIndex >= 0) out += '%'.repeat(percentText);
  if (pointIndex < 0 && expIndex < 0) out = insertPercents(tokens, out);
  return withSign && x < 0 && !isZero ? `-${out}` : out;
}

/** Percent signs written inside the integer part (no decimal point) come after the digits. */
function insertPercents(tokens: Token[], out: string): string {
  const count = tokens.filter((t) => t.kind === 'percent').length;
  if (!count) return out;
  const lastDigit = tokens.map((t) => t.kind).lastIndexOf('digit');
  const trailing = tokens
    .slice(lastDigit + 1)
    .filter((t) => t.kind === 'literal')
    .map((t) => (t as { text: string }).text)
    .join('');
  const body = trailing && out.endsWith(trailing) ? out.slice(0, out.length - trailing.length) : out;
  return body + '%'.repeat(count) + (body === out ? '' : trailing);
}

/** `# ?/?`-style fractions: best approximation with as many denominator digits as placeholders. */
function formatFraction(x: number, tokens: Token[], withSign: boolean): string {
  const slash = tokens.findIndex((t) => t.kind === 'slash');
  const before = tokens.slice(0, slash);
  const after = tokens.slice(slash + 1);
  const denomDigits = after.filter((t) => t.kind === 'digit').length;
  const fixedDenominator = /(\d+)/.exec(after.map((t) => (t.kind === 'literal' ? t.text : '')).join(''));
  // A space (or literal) separates a whole-number part from the numerator.
  const literalGap = before.findIndex(
    (t, i) => t.kind === 'literal' && before.slice(i + 1).some((u) => u.kind === 'digit'),
  );
  const hasWhole = literalGap > 0 && before.slice(0, literalGap).some((t) => t.kind === 'digit');
  const abs = Math.abs(x);
  const whole = hasWhole ? Math.floor(abs) : 0;
  const frac = abs - whole;
  let num = 0;
  let den = 1;
  if (fixedDenominator) {
    den = Number(fixedDenominator[1]);
    num = Math.round(frac * den);
  } else {
    const maxDen = 10 ** denomDigits - 1;
    let best = Number.POSITIVE_INFINITY;
    for (let q = 1; q <= maxDen; q++) {
      const p = Math.round(frac * q);
      const err = Math.abs(frac - p / q);
      if (err < best - 1e-12) {
        best = err;
        num = p;
        den = q;
      }
    }
  }
  const sign = withSign && x < 0 ? '-' : '';
  const wholeText = hasWhole ? (whole ? String(whole) : '') : '';
  if (hasWhole && num === 0) return `${sign}${wholeText || '0'}`;
  const numText = String(num);
  const denText = fixedDenominator ? String(den) : String(den).padEnd(denomDigits, ' ');
  return `${sign}${wholeText}${hasWhole && wholeText ? ' ' : ''}${numText}/${denText}`;
}

// ---------------------------------------------------------------------------------------------------
// Dates and times

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Whether an `m` token means minutes: right after an hour or right before a second. */
function isMinute(tokens: Token[], index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind === 'date') return t.code[0] === 'h';
    if (t.kind === 'elapsed') return t.unit === 'h';
    if (t.kind !== 'literal') break;
  }
  for (let i = index + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'date') return t.code[0] === 's';
    if (t.kind !== 'literal' && t.kind !== 'point' && t.kind !== 'digit') break;
  }
  return false;
}

function formatDate(serial: number, tokens: Token[]): string | ExcelError {
  if (serial < 0 || serial >= MAX_SERIAL + 1) return Errors.VALUE;
  // Fractional seconds ("ss.00") keep their precision; otherwise time rounds to the second.
  const pointIndex = tokens.findIndex((t) => t.kind === 'point');
  const subsecondDigits =
    pointIndex >= 0 ? tokens.slice(pointIndex + 1).filter((t) => t.kind === 'digit').length : 0;
  const unit = 86400 * 10 ** subsecondDigits;
  const ticks = Math.round(serial * unit);
  const day = Math.floor(ticks / unit);
  const timeTicks = ticks - day * unit;
  const totalSeconds = timeTicks / 10 ** subsecondDigits;
  const wholeSeconds = Math.floor(totalSeconds);
  const { year, month, day: dom } = dateFromSerial(day);
  const hours = Math.floor(wholeSeconds / 3600);
  const minutes = Math.floor((wholeSeconds % 3600) / 60);
  const seconds = wholeSeconds % 60;
  const twelveHour = tokens.some((t) => t.kind === 'ampm');
  const weekday = (day + 6) % 7;
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.kind) {
      case 'literal':
        out += t.text;
        break;
      case 'point':
        out += '.';
        break;
      case 'slash':
        out += '/';
        break;
      case 'comma':
        out += ',';
        break;
      case 'percent':
        out += '%';
        break;
      case 'digit':
        break;
      case 'ampm': {
        const pm = hours >= 12;
        const upper = t.text[0] === t.text[0].toUpperCase();
        const text = t.text.length > 3 ? (pm ? 'PM' : 'AM') : pm ? 'P' : 'A';
        out += upper ? text : text.toLowerCase();
        break;
      }
      case 'elapsed': {
        const total = day * 86400 + wholeSeconds;
        const amount =
          t.unit === 'h' ? Math.floor(total / 3600) : t.unit === 'm' ? Math.floor(total / 60) : total;
        out += String(amount).padStart(t.width, '0');
        break;
      }
      case 'date':
        out += dateCode(t.code, isMinute(tokens, i));
        break;
      default:
        out += '';
    }
    if (t.kind === 'point' && subsecondDigits) {
      const fraction = Math.round((totalSeconds - wholeSeconds) * 10 ** subsecondDigits);
      out += String(fraction).padStart(subsecondDigits, '0');
    }
  }
  return out;

  function dateCode(code: string, minute: boolean): string {
    const pad = (n: number) => String(n).padStart(2, '0');
    switch (code[0]) {
      case 'y':
        return code.length <= 2 ? pad(year % 100) : String(year);
      case 'd':
        if (code.length === 1) return String(dom);
        if (code.length === 2) return pad(dom);
        return code.length === 3 ? DAY_NAMES[weekday].slice(0, 3) : DAY_NAMES[weekday];
      case 'h': {
        const h = twelveHour ? hours % 12 || 12 : hours;
        return code.length === 1 ? String(h) : pad(h);
      }
      case 's':
        return code.length === 1 ? String(seconds) : pad(seconds);
      default:
        if (minute) return code.length === 1 ? String(minutes) : pad(minutes);
        if (code.length === 1) return String(month);
        if (code.length === 2) return pad(month);
        if (code.length === 3) return MONTH_NAMES[month - 1].slice(0, 3);
        return code.length === 5 ? MONTH_NAMES[month - 1][0] : MONTH_NAMES[month - 1];
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Entry points

function conditionHolds(condition: NonNullable<Section['condition']>, x: number): boolean {
  const v = condition.value;
  switch (condition.op) {
    case '<':
      return x < v;
    case '<=':
      return x <= v;
    case '>':
      return x > v;
    case '>=':
      return x >= v;
    case '=':
      return x === v;
    default:
      return x !== v;
  }
}

/** Picks the section for a number; the sign is shown only when the section does not imply it. */
function pickSection(sections: Section[], x: number): { section: Section; withSign: boolean } {
  const numeric = sections.filter((s) => !s.tokens.some((t) => t.kind === 'text') || s.tokens.length === 0);
  if (sections.some((s) => s.condition)) {
    const match = sections.findIndex((s) => s.condition && conditionHolds(s.condition, x));
    if (match >= 0) return { section: sections[match], withSign: match > 0 ? false : x < 0 };
    const fallback = sections.find((s) => !s.condition) ?? sections[sections.length - 1];
    return { section: fallback, withSign: true };
  }
  if (x < 0 && numeric.length >= 2) return { section: numeric[1], withSign: false };
  if (x === 0 && numeric.length >= 3) return { section: numeric[2], withSign: false };
  return { section: numeric[0] ?? sections[0], withSign: true };
}

export function formatValue(x: number, format: string): string | ExcelError {
  const sections = splitSections(format).map(tokenize);
  const { section, withSign } = pickSection(sections, x);
  const tokens = section.tokens;
  if (tokens.length === 0) return '';
  if (isDateSection(tokens)) {
    if (tokens.some((t) => t.kind === 'digit' && t.ch !== '0')) return Errors.VALUE;
    if (x < 0 && withSign) return Errors.VALUE;
    return formatDate(Math.abs(x), tokens);
  }
  if (!tokens.some((t) => t.kind === 'digit' || t.kind === 'general')) {
    // Only literals: the text itself, with a minus sign for negatives in the first section.
    const text = tokens
      .map((t) => (t.kind === 'literal' ? t.text : t.kind === 'percent' ? '%' : ''))
      .join('');
    return withSign && x < 0 ? `-${text}` : text;
  }
  return formatNumber(x, tokens, withSign);
}

/** Text through the text section (the fourth, or any section holding `@`); otherwise unchanged. */
export function formatText(text: string, format: string): string {
  const sections = splitSections(format).map(tokenize);
  const section = sections[3] ?? sections.find((s) => s.tokens.some((t) => t.kind === 'text'));
  if (!section) return text;
  return section.tokens.map((t) => (t.kind === 'literal' ? t.text : t.kind === 'text' ? text : '')).join('');
}
