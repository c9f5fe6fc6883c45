/**
 * The searching behind MATCH, VLOOKUP, HLOOKUP, LOOKUP, XMATCH and XLOOKUP. Searches run over a strided
 * view of a matrix's row-major data (a column of a table is `start = col, stride = cols`), so that a lookup
 * in a Monte Carlo kernel never copies or flattens its table.
 */
import { compareScalars } from '../values/coerce';
import { type ExcelError, isError, rewrittenMatrixData, type Scalar } from '../values/value';
import { hasWildcards, WildcardPattern } from './wildcards';

/** `length` cells of `data`, the i-th at `data[start + i * stride]`. */
export interface Vector {
  data: Scalar[];
  start: number;
  stride: number;
  length: number;
}

export const NOT_FOUND = -1;

/** A scalar that is neither an error nor empty: the values ordinary comparisons accept. */
type Plain = Exclude<Scalar, ExcelError | null>;

function at(v: Vector, i: number): Scalar {
  return v.data[v.start + i * v.stride];
}

// --- Equality: exact, wildcard and regular-expression matching -------------------------------------------

const patternCache = new Map<string, RegExp | undefined>();
const PATTERN_CACHE_LIMIT = 512;

function cached(key: string, build: () => RegExp | undefined): RegExp | undefined {
  if (patternCache.has(key)) return patternCache.get(key);
  if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
  const regex = build();
  patternCache.set(key, regex);
  return regex;
}

/** A regular expression for XMATCH/XLOOKUP match mode 3; undefined when the pattern does not compile. */
export function userRegex(pattern: string): RegExp | undefined {
  return cached(`r:${pattern}`, () => {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  });
}

/**
 * Tests cells for equality with one lookup value. Prepared once per call so that a text lookup lowers its
 * case once, not once per cell.
 */
export type Matcher = (cell: Scalar) => boolean;

/**
 * Equality as MATCH and VLOOKUP see it: numbers never equal text, text is case-insensitive and may hold
 * wildcards, and an empty cell matches nothing. `emptyMatchesEmpty` is XLOOKUP's rule instead, where an
 * empty lookup value finds the first empty cell.
 */
export function equalityMatcher(value: Scalar, wildcards: boolean, emptyMatchesEmpty: boolean): Matcher {
  if (value === null) return emptyMatchesEmpty ? (cell) => cell === null : () => false;
  if (typeof value === 'string') {
    if (wildcards && hasWildcards(value)) {
      const pattern = WildcardPattern.parse(value);
      return (cell) => typeof cell === 'string' && pattern.matches(cell);
    }
    const lower = value.toLowerCase();
    return (cell) => typeof cell === 'string' && (cell === value || cell.toLowerCase() === lower);
  }
  return (cell) => cell === value;
}

/** Match mode 3: cells whose text contains a match for the pattern (case-sensitive, as in Excel). */
export function regexMatcher(regex: RegExp): Matcher {
  return (cell) =>
    (typeof cell === 'string' && regex.test(cell)) || (typeof cell === 'number' && regex.test(String(cell)));
}

export function findFirst(v: Vector, matches: Matcher): number {
  for (let i = 0; i < v.length; i++) if (matches(at(v, i))) return i;
  return NOT_FOUND;
}

/**
 * The first cell equal to `value` as MATCH 0 and VLOOKUP FALSE compare (wildcards, case-insensitive
 * text, numbers never equal to text, empty cells never found). A vector searched again and again (a
 * constant table looked up every trial of a simulation) gets an index after a few searches, so each
 * later lookup is one hash probe instead of a scan.
 */
export function findFirstExact(v: Vector, value: Scalar): number {
  if (typeof value === 'string' && hasWildcards(value))
    return findFirst(v, equalityMatcher(value, true, false));
  if (value === null) return NOT_FOUND;
  const index = repeatedSearchIndex(v);
  if (!index) return findFirst(v, equalityMatcher(value, true, false));
  return index.get(indexKey(value)) ?? NOT_FOUND;
}

/** Searches of a vector before it is worth indexing. */
const INDEX_AFTER_SEARCHES = 4;
const INDEX_MIN_LENGTH = 16;

type VectorIndex = Map<unknown, number>;
interface SearchedView {
  start: number;
  stride: number;
  length: number;
  count: number;
  index?: VectorIndex;
}
const searches = new WeakMap<Scalar[], SearchedView[]>();

function indexKey(value: Exclude<Scalar, null>): unknown {
  return typeof value === 'string' ? `s${value.toLowerCase()}` : value;
}

function repeatedSearchIndex(v: Vector): VectorIndex | undefined {
  if (v.length < INDEX_MIN_LENGTH || rewrittenMatrixData.has(v.data)) return undefined;
  let views = searches.get(v.data);
  if (!views) {
    views = [];
    searches.set(v.data, views);
  }
  let view: SearchedView | undefined;
  for (const candidate of views)
    if (candidate.start === v.start && candidate.stride === v.stride && candidate.length === v.length) {
      view = candidate;
      break;
    }
  if (!view) {
    view = { start: v.start, stride: v.stride, length: v.length, count: 0 };
    views.push(view);
  }
  if (view.index) return view.index;
  if (++view.count < INDEX_AFTER_SEARCHES) return undefined;
  const index: VectorIndex = new Map();
  for (let i = v.length - 1; i >= 0; i--) {
    const cell = at(v, i);
    // Walking backwards leaves the first occurrence of each value in the index.
    if (cell !== null) index.set(indexKey(cell), i);
  }
  view.index = index;
  return index;
}

export function findLast(v: Vector, matches: Matcher): number {
  for (let i = v.length - 1; i >= 0; i--) if (matches(at(v, i))) return i;
  return NOT_FOUND;
}

// --- Legacy approximate search (MATCH 1/-1, VLOOKUP/HLOOKUP TRUE, LOOKUP) ------------------------------

function sameKind(cell: Scalar, value: Plain): cell is Plain {
  return typeof cell === typeof value && cell !== null;
}

/**
 * Excel's binary search for sorted data, reproduced on unsorted data too: it returns the last position
 * whose value is ≤ the lookup value (≥ when `descending`). Cells of another type than the lookup value
 * (text among numbers, errors, blanks) are stepped over towards the end, which is what makes
 * `LOOKUP(2, 1/(A:A<>""), B:B)` find the last non-blank row.
 */
export function approximateSearch(v: Vector, value: Plain, descending: boolean): number {
  let lo = 0;
  let hi = v.length - 1;
  let best = NOT_FOUND;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    let probe = mid;
    while (probe <= hi && !sameKind(at(v, probe), value)) probe++;
    if (probe > hi) {
      hi = mid - 1;
      continue;
    }
    const order = compareScalars(at(v, probe) as Plain, value);
    if (descending ? order >= 0 : order <= 0) {
      best = probe;
      lo = probe + 1;
    } else hi = mid - 1;
  }
  return best;
}

// --- XLOOKUP / XMATCH ---------------------------------------------------------------------------------

/** -1: exact or next smaller, 0: exact, 1: exact or next larger. */
export type Closeness = -1 | 0 | 1;

/**
 * The total order XLOOKUP's binary search assumes: numbers < text < booleans, then errors and blanks last
 * (so that the blank tail of a whole-column reference behaves as if sorted after the data).
 */
function xCompare(cell: Scalar, value: Scalar): number {
  const cellRank = xRank(cell);
  const valueRank = xRank(value);
  if (cellRank !== valueRank || cellRank !== 0) return cellRank - valueRank;
  return compareScalars(cell as Plain, value as Plain);
}

function xRank(value: Scalar): number {
  return value === null ? 2 : isError(value) ? 1 : 0;
}

function isPlain(value: Scalar): value is Plain {
  return value !== null && !isError(value);
}

/**
 * XLOOKUP's linear search in the given direction. An exact match wins at once; otherwise the closest value
 * on the requested side, the first one met on ties. Blanks and errors are never approximate matches.
 */
export function linearSearch(
  v: Vector,
  value: Scalar,
  closeness: Closeness,
  matches: Matcher,
  fromEnd: boolean,
): number {
  let best = NOT_FOUND;
  let bestValue: Plain | undefined;
  const approximate = closeness !== 0 && isPlain(value);
  for (let k = 0; k < v.length; k++) {
    const i = fromEnd ? v.length - 1 - k : k;
    const cell = at(v, i);
    if (matches(cell)) return i;
    if (!approximate || !isPlain(cell)) continue;
    const order = compareScalars(cell, value as Plain);
    if (order === 0 || Math.sign(order) !== closeness) continue;
    if (bestValue === undefined || compareScalars(cell, bestValue) * closeness < 0) {
      best = i;
      bestValue = cell;
    }
  }
  return best;
}

/**
 * XLOOKUP's binary search (search mode 2, or -2 for descending data, which is searched as its reverse).
 * Exact matches return the first of a run of equal values in ascending order.
 */
export function binarySearch(v: Vector, value: Scalar, closeness: Closeness, descending: boolean): number {
  const n = v.length;
  const cell = (i: number) => at(v, descending ? n - 1 - i : i);
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xCompare(cell(mid), value) < 0) lo = mid + 1;
    else hi = mid;
  }
  let found: number;
  if (lo < n && xCompare(cell(lo), value) === 0) found = lo;
  else if (closeness === -1) found = lo - 1;
  else if (closeness === 1 && lo < n && isPlain(cell(lo))) found = lo;
  else found = NOT_FOUND;
  if (found === NOT_FOUND || found < 0) return NOT_FOUND;
  return descending ? n - 1 - found : found;
}
