/** A histogram drawn with block characters, one row per bin. */
export function textHistogram(
  histogram: { edges: (number | null)[]; counts: number[] },
  width = 40,
  maxRows = 20,
): string {
  const { edges, counts } = histogram;
  if (counts.length === 0) return '';
  // Merge neighbouring bins so the chart stays short.
  const group = Math.ceil(counts.length / maxRows);
  const rows: { from: number | null; to: number | null; count: number }[] = [];
  for (let i = 0; i < counts.length; i += group) {
    let count = 0;
    for (let j = i; j < Math.min(i + group, counts.length); j++) count += counts[j];
    rows.push({ from: edges[i], to: edges[Math.min(i + group, counts.length)], count });
  }
  const peak = Math.max(...rows.map((r) => r.count), 1);
  // An edge JSON cannot write (past the largest double) is null.
  const label = (n: number | null) => n?.toLocaleString('en-US', { maximumSignificantDigits: 6 }) ?? 'n/a';
  return rows
    .map(
      (r) =>
        `  ${label(r.from).padStart(12)} … ${label(r.to).padEnd(12)} ${'█'.repeat(Math.round((r.count / peak) * width))} ${r.count}`,
    )
    .join('\n');
}
