/** Text searching helpers: SEARCH's wildcards, and the delimiter scanning of TEXTBEFORE/TEXTAFTER/TEXTSPLIT. */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive RegExp for an Excel wildcard pattern: `?` one character, `*` any run, `~` escapes. */
export function wildcardRegExp(pattern: string, anchored: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    // A tilde makes the next character literal; a trailing tilde matches nothing.
    if (ch === '~') {
      if (i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    } else if (ch === '?') source += '[\\s\\S]';
    else if (ch === '*') source += '[\\s\\S]*';
    else source += escapeRegExp(ch);
  }
  return new RegExp(anchored ? `^(?:${source})$` : source, 'i');
}

export interface DelimiterMatch {
  index: number;
  length: number;
}

/** Every non-overlapping occurrence of any of the delimiters, left to right (longest first at a tie). */
export function findDelimiters(text: string, delimiters: string[], ignoreCase: boolean): DelimiterMatch[] {
  const haystack = ignoreCase ? text.toLowerCase() : text;
  const needles = delimiters
    .filter((d) => d !== '')
    .map((d) => (ignoreCase ? d.toLowerCase() : d))
    .sort((a, b) => b.length - a.length);
  const matches: DelimiterMatch[] = [];
  for (let i = 0; i < haystack.length; ) {
    const needle = needles.find((n) => haystack.startsWith(n, i));
    if (needle) {
      matches.push({ index: i, length: needle.length });
      i += needle.length;
    } else i++;
  }
  return matches;
}
