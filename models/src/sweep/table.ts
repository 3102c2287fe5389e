import type { MetricSet } from '../pipeline/evaluate';
import type { ConfigurationResult, HalfName, SortMetric, SweepFile } from './sweep-file';

const METRIC_LABEL: Readonly<Record<SortMetric, string>> = {
  imageAuroc: 'image AUROC',
  pixelAuroc: 'pixel AUROC',
  aupro: 'AUPRO@0.3',
};

function cell(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}

function triple(metrics: MetricSet | undefined): string {
  if (metrics === undefined) return '-';
  return `${cell(metrics.imageAuroc)} / ${cell(metrics.pixelAuroc)} / ${cell(metrics.aupro)}`;
}

/**
 * Both halves' results ranked by the chosen metric on the selection half (null last), so that the report
 * table reads in the order a choice made on the selection half would see it.
 */
export function rankBySelection(results: readonly ConfigurationResult[], sort: SortMetric): ConfigurationResult[] {
  const key = (result: ConfigurationResult): number => result.halves.selection[sort] ?? -Infinity;
  return [...results].sort((a, b) => key(b) - key(a) || a.id.localeCompare(b.id));
}

function halfTable(results: readonly ConfigurationResult[], half: HalfName, defects: readonly string[]): string[] {
  const header = [
    'configuration',
    'image AUROC',
    'pixel AUROC',
    'AUPRO@0.3',
    ...defects.map((defect) => `${defect} (img / pix / AUPRO)`),
    'train s',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const result of results) {
    const metrics = result.halves[half];
    const train = `${result.trainSeconds.toFixed(0)}${result.budgetReached ? ' (budget)' : ''}`;
    lines.push(
      `| ${[
        result.id,
        cell(metrics.imageAuroc),
        cell(metrics.pixelAuroc),
        cell(metrics.aupro),
        ...defects.map((defect) => triple(metrics.perDefect[defect])),
        train,
      ].join(' | ')} |`,
    );
  }
  return lines;
}

/** sweep.md: the selection half's table and the report half's, both in the selection half's order. */
export function sweepTable(sweep: SweepFile, sort: SortMetric): string {
  const ranked = rankBySelection(sweep.results, sort);
  const defects = [
    ...new Set(sweep.results.flatMap((result) => Object.keys(result.halves.selection.perDefect))),
  ].sort();
  return [
    `# Sweep of ${sweep.data}`,
    '',
    `${sweep.results.length} configurations; test split seed ${sweep.grids.at(-1)!.seed}: ${sweep.split.selection.length} ` +
      `selection and ${sweep.split.report.length} report images; ${sweep.heldBack.length} normal training images ` +
      `held back for normalisation; pixel metrics at the ${sweep.grids.at(-1)!.evaluateAt} resolution. Sorted by ` +
      `${METRIC_LABEL[sort]} on the selection half.`,
    '',
    '## Selection half',
    '',
    ...halfTable(ranked, 'selection', defects),
    '',
    '## Report half (same order)',
    '',
    ...halfTable(ranked, 'report', defects),
    '',
  ].join('\n');
}
