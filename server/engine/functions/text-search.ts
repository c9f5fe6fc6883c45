/** Text searching helpers: the delimiter scanning of TEXTBEFORE/TEXTAFTER/TEXTSPLIT. */

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
