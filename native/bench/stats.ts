// Medians, agreement and tables for the benchmark's report.

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function maxRelativeDifference(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new Error(`compared lists differ in length: ${a.length} vs ${b.length}`);
  return Math.max(...a.map((value, i) => Math.abs(value - b[i]!) / Math.max(Math.abs(value), Math.abs(b[i]!), 1e-12)));
}

/** A Markdown table, every column right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, i) => cell.padStart(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
