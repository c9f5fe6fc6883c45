/**
 * Excel's wildcards: `?` one character, `*` any run of characters, `~` makes the next character literal;
 * text compares case-insensitively. Matching follows every pattern position at once (the positions
 * reachable after each character of the text), so it costs text length × pattern length at worst. A
 * RegExp of `[\s\S]*a[\s\S]*a…b` backtracks instead, exponentially: "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"
 * against sixty a's never finished.
 */

const LITERAL = 0;
const ONE = 1;
const RUN = 2;

/** No position reached: larger than any start. */
const NONE = Number.MAX_SAFE_INTEGER;

export class WildcardPattern {
  private constructor(
    private readonly kinds: Uint8Array,
    /** The lower-cased character of each LITERAL position. */
    private readonly chars: string[],
  ) {}

  /**
   * `tilde` says what `~` escapes: in criteria and lookups only the wildcards and itself (a `~` before
   * anything else is a literal `~`); in SEARCH any next character (a trailing `~` matches nothing).
   */
  static parse(pattern: string, tilde: 'wildcards' | 'any' = 'wildcards'): WildcardPattern {
    const kinds: number[] = [];
    const chars: string[] = [];
    const lower = lowerSameLength(pattern);
    for (let i = 0; i < lower.length; i++) {
      const ch = lower[i];
      const escaped = i + 1 < lower.length && (tilde === 'any' || '?*~'.includes(lower[i + 1]));
      if (ch === '~' && (escaped || tilde === 'any')) {
        if (i + 1 < lower.length) {
          kinds.push(LITERAL);
          chars.push(lower[++i]);
        }
      } else if (ch === '?' || ch === '*') {
        // Consecutive stars are one star.
        if (ch === '*' && kinds[kinds.length - 1] === RUN) continue;
        kinds.push(ch === '?' ? ONE : RUN);
        chars.push('');
      } else {
        kinds.push(LITERAL);
        chars.push(ch);
      }
    }
    return new WildcardPattern(Uint8Array.from(kinds), chars);
  }

  /** Whether the whole text matches. */
  matches(text: string): boolean {
    return this.scan(text, false) === 0;
  }

  /** Where the first match starts in the text (a match of the pattern followed by anything), or -1. */
  search(text: string): number {
    const at = this.scan(text, true);
    return at === NONE ? -1 : at;
  }

  /**
   * The smallest start of a match. `reached[j]` is the smallest start from which the text read so far
   * leads to pattern position j; a search adds a fresh start at every character and accepts as soon as
   * the end of the pattern is reached, a whole-text match only starts at 0 and accepts at the end.
   */
  private scan(text: string, anywhere: boolean): number {
    const { kinds, chars } = this;
    const m = kinds.length;
    const lower = lowerSameLength(text);
    let reached = new Array<number>(m + 1).fill(NONE);
    let next = new Array<number>(m + 1).fill(NONE);
    let best = NONE;
    const close = (states: number[]) => {
      // A run may be empty: reaching it reaches the position after it.
      for (let j = 0; j < m; j++)
        if (kinds[j] === RUN && states[j] < states[j + 1]) states[j + 1] = states[j];
    };
    reached[0] = 0;
    close(reached);
    for (let i = 0; ; i++) {
      if (anywhere && reached[m] < best) best = reached[m];
      if (i === lower.length) break;
      const ch = lower[i];
      next.fill(NONE);
      let alive = false;
      for (let j = 0; j < m; j++) {
        const start = reached[j];
        if (start === NONE || start >= best) continue;
        const kind = kinds[j];
        if (kind === RUN) {
          if (start < next[j]) next[j] = start;
        } else if (kind === ONE || chars[j] === ch) {
          if (start < next[j + 1]) next[j + 1] = start;
        } else continue;
        alive = true;
      }
      if (anywhere && i + 1 < best && i + 1 < next[0]) {
        next[0] = i + 1;
        alive = true;
      }
      if (!alive && !anywhere) return NONE;
      close(next);
      [reached, next] = [next, reached];
    }
    return anywhere ? best : reached[m] === 0 ? 0 : NONE;
  }
}

/** Whether text holds a wildcard or escape, so that plain comparison would not do. */
export function hasWildcards(text: string): boolean {
  return /[?*~]/.test(text);
}

/** Lower case that keeps every character at its index (a few characters lengthen under toLowerCase). */
function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}
